// The round's own panel: built afresh when the round (or who facilitates, or who holds the
// issue) changes, and updated in place on every other change.

import { errorSlot, h, refocus } from "./dom.js";
import { act } from "./socket.js";
import { PROJECTOR, S, T, facilitates, holderId, nameOf, parts, stage } from "./state.js";
import { biddingPanel } from "./panel_bidding.js";
import { actionsPanel, reviewPanel } from "./panel_closing.js";
import { presentingPanel, questioningPanel } from "./panel_questions.js";
import { currentTurns, turnState, turnsPanel } from "./panel_turns.js";

export function renderPanel() {
  const st = stage();
  const key = `${st.status}|${st.position}|${facilitates()}|${holderId()}`;
  if (key !== S.panelKey) {
    const unsent = S.panel ? unsentText(S.panel.el) : [];
    S.panelKey = key;
    S.panel = PROJECTOR ? projectorPanel() : panelFor(st);
    parts.panel.replaceChildren(S.panel.el);
    parts.panel.hidden = Boolean(S.panel.el.hidden);
    const left = restore(S.panel.el, unsent);
    if (left.length) {
      const notice = unsentNotice(left.map((u) => u.value).join("\n\n"));
      parts.panel.prepend(notice);
      parts.panel.hidden = false;
      // Someone typing at that moment may be a screen further down a long round: bring
      // their words into sight where they now are (a screen reader hears the notice).
      if (left.some((u) => u.focused)) notice.scrollIntoView({ block: "nearest" });
    }
  }
  const focusKey = document.activeElement?.dataset?.key;
  S.panel.update();
  refocus(parts.panel, focusKey);
}

function panelFor(st) {
  // Before the start, and once ended, the stage card already says so (with the way to the
  // summary); the panel stays out of sight rather than say it twice.
  if (st.status !== "running") return { el: h("p", { hidden: true }), update() {} };
  const round = st.round;
  if (round === 1 || round === 2 || round === 6) return turnsPanel(round);
  if (round === 3) return biddingPanel();
  if (round === 4) return presentingPanel();
  if (round === 5) return questioningPanel();
  if (round === 7) return actionsPanel();
  return reviewPanel();
}

function projectorPanel() {
  // The room reads the turn order (rounds 1, 2 and 6), the bids it is choosing from (round 3),
  // the latest questions (round 5), the actions (round 7) or the coach's questions it reviews
  // itself by (round 8); round 4 has nothing to list, and an empty box on the wall only
  // raises the question of what is missing.
  const round = stage().status === "running" ? stage().round : null;
  const kind = { 1: "turn", 2: "turn", 3: "bid", 5: "question", 6: "turn", 7: "action", 8: "coach" }[round] || null;
  const list = kind === "turn" ? h("ol", { class: "live-projector-list live-projector-turns" }) : h("ul", { class: "plain live-projector-list" });
  const title = { turn: T.turn_order, bid: T.bids, question: T.questions, action: T.actions_heading, coach: T.coach_questions }[kind];
  const heading = h("h2", { class: "card-title", text: title || "" });
  return {
    el: h("div", { hidden: !kind }, heading, list),
    update() {
      if (kind === "turn") {
        const turns = currentTurns();
        list.replaceChildren(...(turns ? turns.turns : []).map((t) => {
          const { speaking, status } = turnState(t);
          return h("li", { class: `live-projector-turn${speaking ? " is-speaking" : ""}${t.done_at ? " is-done" : ""}`, "aria-current": speaking ? "true" : null },
            h("span", { class: "live-turn-name", text: nameOf(t.user_id) }), " ", h("span", { class: "badge", text: status }));
        }));
        return;
      }
      if (kind === "coach") {
        if (!list.childElementCount) list.replaceChildren(...S.snap.coach_questions.map((q) => h("li", { text: q })));
        return;
      }
      if (kind === "bid") {
        const bids = S.snap.bids;
        list.replaceChildren(...(bids.length
          ? bids.map((b) => h("li", { class: "live-text" }, h("strong", { text: b.title }), ` · ${b.user.name}`,
            ...(b.chosen_slot ? [" ", h("span", { class: "badge badge-active", text: T.chosen })] : [])))
          : [h("li", { class: "meta", text: T.no_bids })]));
        return;
      }
      if (!kind) return;
      const items = S.snap.contributions.filter((c) => c.position === stage().position && c.kind === kind);
      list.replaceChildren(...(items.length
        ? items.slice(-6).map((c) => h("li", { class: "live-text", text: c.text }))
        : [h("li", { class: "meta", text: kind === "action" ? T.no_actions : T.no_questions })]));
    },
  };
}

// What someone was writing when the panel is rebuilt (the round moved on, facilitation was
// handed over) is never dropped in silence: it goes back into the same box if the new panel
// has one, or stays in view with the offer to keep it as a private note (allowed in every
// round). A box counts once typed in (markUnsent, on the panel for every box in it), so
// text shown as saved (the process review, a bid, a line of learning) is not offered, once
// its form says it is saved (markSaved in dom.js). One-line boxes count as much as textareas.
const BOXES = "textarea, input[type=text]";

export function markUnsent(event) {
  if (event.target.matches(BOXES)) event.target.dataset.unsent = "";
}

function unsentText(el) {
  return [...el.querySelectorAll(BOXES)].filter((box) => "unsent" in box.dataset)
    .filter((box) => box.value.trim())
    .map((box) => ({ label: box.labels?.[0]?.textContent || "", value: box.value, focused: box === document.activeElement }));
}

function restore(el, unsent) {
  const left = [];
  for (const u of unsent) {
    const box = [...el.querySelectorAll(BOXES)].find((b) => !b.value && b.labels?.[0]?.textContent === u.label);
    if (!box) {
      left.push(u);
      continue;
    }
    box.value = u.value;
    box.dataset.unsent = "";
    if (u.focused) box.focus();
  }
  return left;
}

function unsentNotice(text) {
  const error = errorSlot();
  const words = h("p", { class: "live-text live-unsent-text", text });
  const el = h("div", { class: "live-unsent notice", role: "status" }, h("p", { text: T.unsent }), words, error);
  const row = h("div", { class: "form-actions" });
  if (stage().status === "running") {
    const keep = h("button", { type: "button", text: T.keep_private });
    keep.addEventListener("click", () => act({ action: "private_note", text }, { error, button: keep, ok: () => el.remove() }));
    row.append(keep);
  }
  row.append(h("button", { type: "button", class: "secondary", text: T.dismiss, onclick: () => el.remove() }));
  el.append(row);
  return el;
}
