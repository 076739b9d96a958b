// The facilitator's controls: start, move between rounds (confirming when a round is cut
// short; these three go in the round's card), add time, pause for learning, hand over
// facilitation and end the meeting (or, before it starts, close the room: nothing is
// recorded).

import { clearInvalid, errorSlot, field, h, markInvalid } from "./dom.js";
import { S, T, facilitates, parts, root, stage } from "./state.js";
import { act, versioned } from "./socket.js";

export function buildControls() {
  const box = h("section", { class: "live-controls card", "aria-labelledby": "live-controls-heading", hidden: true });
  // Each control says why it was refused right under itself, where the eye already is: one
  // slot at the top of this long card was out of sight of the button pressed.
  const [extendError, pauseError, handError, endError] = [errorSlot(), errorSlot(), errorSlot(), errorSlot()];
  const btn = (text, onclick, cls) => h("button", { type: "button", class: cls || "", onclick, text });
  // Moving the meeting on is what whoever facilitates does most, with an eye on the timer: these
  // sit in the round's own card (page.js), with their own place for a refusal; the rest below.
  const moveError = errorSlot();
  parts.startBtn = btn(T.start, () => act(versioned({ action: "advance" }), { error: moveError, button: parts.startBtn }));
  parts.nextBtn = btn(T.next, () => advance(false, moveError));
  parts.backBtn = btn(T.back, () => act(versioned({ action: "go_back" }), { error: moveError, button: parts.backBtn }), "secondary");
  // In the last round there is no next one: ending is the step forward, offered where "next"
  // was (the server would refuse a "next" with the same advice).
  const endMeeting = (error, button) => () => {
    if (window.confirm(T.end_confirm)) act(versioned({ action: "end_meeting" }), { error, button: button() });
  };
  parts.endHereBtn = btn(T.end, endMeeting(moveError, () => parts.endHereBtn));
  parts.moveControls = h("div", { class: "live-move-controls", hidden: true },
    h("div", { class: "row" }, parts.startBtn, parts.nextBtn, parts.endHereBtn, parts.backBtn), moveError);
  const minutes = h("input", { type: "number", min: "1", max: "60", value: "2", inputmode: "numeric", class: "live-small" });
  const [extendField] = field(T.extend_minutes, minutes);
  parts.extendBtn = btn(T.extend, () => act({ action: "extend_timer", minutes: Number(minutes.value) }, {
    error: extendError, ok: () => clearInvalid(minutes), fail: (result) => mark(result, minutes) }), "secondary");
  const question = h("input", { type: "text", maxlength: "300", list: "live-coach-questions" });
  const [questionField] = field(T.coach_question, question, T.coach_question_hint);
  parts.coachList = h("datalist", { id: "live-coach-questions" });
  parts.coachButtons = h("ul", { class: "plain live-coach-list" });
  parts.pauseBtn = btn(T.pause, () => act({ action: "pause", question: question.value }, {
    error: pauseError, ok: () => { question.value = ""; clearInvalid(question); }, fail: (result) => mark(result, question) }));
  // Resume sits in the pause banner (page.js), with its own slot beside it.
  parts.resumeError = errorSlot();
  parts.resumeBtn = btn(T.resume, () => act({ action: "resume" }, { error: parts.resumeError }));
  parts.pauseQuestion = question;
  parts.handTo = h("select", {});
  const [handField] = field(T.hand_over_to, parts.handTo);
  const handBtn = btn(T.hand_over, () => act({ action: "hand_over_facilitation", user_id: Number(parts.handTo.value) }, { error: handError }), "secondary");
  parts.endBtn = btn(T.end, endMeeting(endError, () => parts.endBtn), "danger");
  parts.closeBtn = btn(T.close_room, () => {
    if (window.confirm(T.close_room_confirm)) {
      act(versioned({ action: "close_room" }), { error: endError, button: parts.closeBtn, ok: () => { window.location.assign(root.dataset.meetingUrl); } });
    }
  }, "secondary");
  parts.closeHint = h("p", { class: "meta", text: T.close_room_hint });
  box.append(
    h("h2", { id: "live-controls-heading", class: "card-title", text: T.facilitation }),
    h("div", { class: "live-control-group" }, extendField, extendError, parts.extendBtn),
    h("div", { class: "live-control-group" }, questionField, pauseError, parts.coachList, parts.coachButtons, h("div", { class: "row" }, parts.pauseBtn)),
    h("div", { class: "live-control-group" }, handField, handError, handBtn),
    // Ending is final: set apart from handing over, the button above it.
    h("div", { class: "live-control-group" }, endError, h("div", { class: "row" }, parts.endBtn)),
    h("div", { class: "live-control-group" }, parts.closeHint, h("div", { class: "row" }, parts.closeBtn)));
  return box;
}

// A refusal about what was typed in `box` marks it; the message is shown as well (false).
function mark(result, box) {
  if (result.details?.field) markInvalid(box);
  return false;
}

function advance(confirm, error) {
  act(versioned({ action: "advance", confirm }), {
    error,
    button: parts.nextBtn,
    ok: () => {
      parts.confirm.hidden = true;
    },
    fail: (result) => {
      if (result.code !== "needs_confirmation") return false;
      const yes = h("button", { type: "button", text: T.move_on_anyway, onclick: () => advance(true, error) });
      const no = h("button", { type: "button", class: "secondary", text: T.not_yet, onclick: () => {
        parts.confirm.hidden = true;
        parts.nextBtn.focus();
      } });
      parts.confirm.replaceChildren(h("p", { text: result.message }), h("div", { class: "row" }, yes, no));
      parts.confirm.hidden = false;
      yes.focus();
      return true;
    },
  });
}

export function renderControls() {
  const st = stage();
  const mine = facilitates();
  parts.controls.hidden = !mine || st.status === "ended";
  parts.moveControls.hidden = parts.controls.hidden;
  // Resume sits in the pause banner (page.js), which stays in sight while paused.
  parts.resumeBtn.hidden = !mine || !st.paused;
  if (!mine) return;
  const running = st.status === "running";
  parts.startBtn.hidden = st.status !== "not_started";
  const last = running && st.position === Math.max(...S.snap.agenda.map((a) => a.position));
  parts.nextBtn.hidden = !running || last;
  parts.endHereBtn.hidden = !last;
  // The first round has no step back: the server would refuse it, so do not offer it.
  parts.backBtn.hidden = !running || st.position === 0;
  // Timers and pauses only mean something once the meeting runs: before that, hide them
  // rather than offer controls that can only be refused.
  const group = (el) => el.closest(".live-control-group") || el.parentElement;
  group(parts.extendBtn).hidden = !running;
  group(parts.pauseBtn).hidden = !running;
  // Before the start there is nothing to end; the room can be closed instead.
  parts.endBtn.hidden = !running || last;
  group(parts.endBtn).hidden = !running || last;
  group(parts.closeBtn).hidden = st.status !== "not_started";
  parts.pauseBtn.hidden = !running || st.paused;
  // No rule between the card's heading and whichever group comes first as things stand.
  let first = true;
  for (const g of parts.controls.querySelectorAll(":scope > .live-control-group")) {
    g.classList.toggle("is-first", first && !g.hidden);
    if (!g.hidden) first = false;
  }
  if (!parts.coachList.childElementCount) {
    for (const q of S.snap.coach_questions) {
      parts.coachList.append(h("option", { value: q }));
      parts.coachButtons.append(h("li", {}, h("button", { type: "button", class: "link-button", text: q, onclick: () => {
        parts.pauseQuestion.value = q;
        parts.pauseQuestion.focus();
      } })));
    }
  }
  const chosen = parts.handTo.value;
  parts.handTo.replaceChildren(...S.snap.people.filter((p) => p.id !== st.facilitation_holder_id)
    .map((p) => h("option", { value: p.id, text: p.name })));
  if (chosen) parts.handTo.value = chosen;
}
