// The page: built once from the first snapshot, then redrawn in place from S after every
// snapshot or batch of events.

import { fmt, h } from "./dom.js";
import { PROJECTOR, S, T, facilitates, holderId, nameOf, parts, root, stage } from "./state.js";
import { buildControls, renderControls } from "./controls.js";
import { markUnsent, renderPanel } from "./panels.js";
import { currentTurns, turnState } from "./panel_turns.js";
import { renderAgenda, renderAirtime, renderPeople } from "./sidebar.js";
import { tick } from "./timers.js";

function build() {
  parts.pause = h("section", { class: "live-pause", "aria-labelledby": "live-pause-heading", hidden: true },
    h("h2", { id: "live-pause-heading", text: T.paused }),
    h("p", { class: "live-pause-question", "data-role": "pause-question" }),
    h("p", { class: "meta", text: T.paused_timer }));
  parts.controls = PROJECTOR ? null : buildControls();
  // The round's name, timer and issue are redrawn; the buttons that move the meeting on stay
  // put under them, so the focus stays on "Next round" as the round changes.
  parts.stageInfo = h("div", {});
  parts.stage = h("section", { class: "live-stage card", "aria-labelledby": "live-round-heading" },
    parts.stageInfo, parts.controls ? parts.moveControls : null);
  parts.confirm = h("div", { class: "live-confirm notice", hidden: true });
  // Whoever facilitates resumes from the banner, in sight however far down they are.
  if (parts.resumeBtn) parts.pause.append(parts.resumeBtn, parts.resumeError);
  parts.panel = h("section", { class: "live-panel card", "aria-labelledby": "live-round-heading", oninput: markUnsent });
  parts.agenda = h("nav", { class: "live-agenda card", "aria-labelledby": "live-agenda-heading" });
  parts.people = h("section", { class: "live-people card", "aria-labelledby": "live-people-heading" });
  // Focusable: on a narrow screen the table may scroll sideways, and keyboards must reach it.
  parts.airtime = h("section", { class: "live-airtime card", "aria-labelledby": "live-airtime-heading", tabindex: "0", hidden: true });
  parts.rules = groundRules();
  const layout = h("div", { class: "live-layout" },
    // The round itself first (with the buttons that move it on); the other controls after it.
    // The airtime balance is the facilitator's, under their controls: its four columns
    // were cramped into a few words a line in the side column.
    h("div", { class: "live-main" }, parts.stage, parts.confirm, parts.panel, PROJECTOR ? parts.rules : null, parts.controls, parts.airtime),
    h("div", { class: "live-side" }, parts.agenda, parts.people, PROJECTOR ? null : parts.rules));
  root.append(parts.pause, layout);
}

// The set's own ground rules, as its members accepted them: folded away in the room, for
// anyone to look at when a rule is in question; on the shared screen, on the wall while the
// set gathers (render shows them until the meeting starts).
function groundRules() {
  const text = JSON.parse(document.getElementById("live-ground-rules")?.textContent || '""');
  if (!text) return null;
  const rules = h("p", { class: "live-text live-rules-text", text });
  if (PROJECTOR) {
    return h("section", { class: "live-ground-rules card", "aria-labelledby": "live-rules-heading" },
      h("h2", { id: "live-rules-heading", class: "card-title", text: T.our_ground_rules }), rules);
  }
  return h("details", { class: "live-ground-rules card" }, h("summary", { text: T.ground_rules }), rules);
}

export function render() {
  if (!S.snap) return;
  if (!parts.stage) {
    build();
    document.getElementById("live-not-open")?.remove();
  }
  const st = stage();
  root.dataset.status = st.status;
  root.dataset.paused = st.paused ? "true" : "false";
  parts.pause.hidden = !st.paused;
  parts.pause.querySelector("[data-role=pause-question]").textContent = st.pause_question;
  renderStage();
  if (PROJECTOR && parts.rules) parts.rules.hidden = st.status !== "not_started";
  if (!PROJECTOR) renderControls();
  renderAgenda();
  renderPeople();
  renderAirtime();
  renderPanel();
  tick();
}

function currentIssue() {
  // The chosen bid's, or the topic agreed in advance (planned meetings have no bid for it).
  const holder = holderId();
  if (!holder) return null;
  const bid = S.snap.bids.find((b) => b.user && b.user.id === holder && b.chosen_slot);
  if (bid) return { title: bid.title, detail: bid.detail };
  // The topic is the agreed holder's; it stands for anyone else's only when none was agreed.
  const agreed = S.snap.agreed_holder_id;
  return S.snap.topic && (!agreed || agreed === holder) ? { title: S.snap.topic, detail: "" } : null;
}

function currentSpeaker() {
  const running = currentTurns()?.turns.find((t) => turnState(t).speaking);
  if (running) return nameOf(running.user_id);
  if (stage().round === 4 || stage().round === 7) return nameOf(holderId());
  return "";
}

function renderStage() {
  const st = stage();
  let title = st.round_name || (st.status === "ended" ? T.ended : facilitates() && !PROJECTOR ? T.not_started_yours : T.not_started);
  const chimeId = "live-chime";
  const children = [h("h2", { id: "live-round-heading", class: "live-round", text: title })];
  if (st.status === "running") {
    children.push(h("div", { class: "live-timer", "data-state": "idle" },
      h("span", { class: "visually-hidden", text: `${T.time_left}: ` }),
      h("span", { class: "live-timer-value", "data-role": "timer", role: "timer", "aria-live": "off" })));
  }
  if (st.status === "ended") {
    children.push(h("p", {}, h("a", { class: "button", href: root.dataset.summaryUrl, text: T.read_summary })));
  }
  if (PROJECTOR) {
    const speaker = currentSpeaker();
    if (speaker) children.push(h("p", { class: "live-projector-line" }, h("span", { class: "meta", text: `${T.whose_turn}: ` }), speaker));
    const issue = currentIssue();
    if (issue) children.push(h("p", { class: "live-projector-line" }, h("span", { class: "meta", text: `${T.issue}: ` }), issue.title));
  } else if (st.status === "running") {
    const box = h("input", { type: "checkbox", id: chimeId, checked: S.chime, onchange: (e) => { S.chime = e.target.checked; } });
    children.push(h("div", { class: "field-checkbox live-chime" }, box, " ", h("label", { for: chimeId, text: T.chime })));
    // While one person's issue is worked on, everyone keeps it in view.
    const issue = currentIssue();
    if (issue) {
      children.push(h("p", { class: "live-issue" }, h("span", { class: "meta", text: `${fmt(T.issue_of, { name: nameOf(holderId()) })}: ` }), h("strong", { text: issue.title })));
      if (issue.detail) children.push(h("p", { class: "meta live-issue-detail", text: issue.detail }));
    }
  }
  const keep = document.activeElement?.id === chimeId;
  parts.stageInfo.replaceChildren(...children);
  if (keep) document.getElementById(chimeId)?.focus();
}
