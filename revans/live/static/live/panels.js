// The round's own panel: built afresh when the round (or who facilitates, or who holds the
// issue) changes, and updated in place on every other change.

import { h, refocus } from "./dom.js";
import { PROJECTOR, S, T, facilitates, holderId, parts, stage } from "./state.js";
import { biddingPanel } from "./panel_bidding.js";
import { actionsPanel, reviewPanel } from "./panel_closing.js";
import { presentingPanel, questioningPanel } from "./panel_questions.js";
import { turnsPanel } from "./panel_turns.js";

export function renderPanel() {
  const st = stage();
  const key = `${st.status}|${st.position}|${facilitates()}|${holderId()}`;
  if (key !== S.panelKey) {
    S.panelKey = key;
    S.panel = PROJECTOR ? projectorPanel() : panelFor(st);
    parts.panel.replaceChildren(S.panel.el);
    parts.panel.hidden = Boolean(S.panel.el.hidden);
  }
  const focusKey = document.activeElement?.dataset?.key;
  S.panel.update();
  refocus(parts.panel, focusKey);
}

function panelFor(st) {
  // Before the start the stage heading already says so; the panel stays empty.
  if (st.status !== "running") return { el: h("p", { class: "lead", text: st.status === "ended" ? T.ended : "", hidden: st.status !== "ended" }), update() {} };
  const round = st.round;
  if (round === 1 || round === 2 || round === 6) return turnsPanel(round);
  if (round === 3) return biddingPanel();
  if (round === 4) return presentingPanel();
  if (round === 5) return questioningPanel();
  if (round === 7) return actionsPanel();
  return reviewPanel();
}

function projectorPanel() {
  const list = h("ul", { class: "plain live-projector-list" });
  return {
    el: h("div", {}, list),
    update() {
      const items = S.snap.contributions.filter((c) => c.position === stage().position && ["question", "action"].includes(c.kind));
      list.replaceChildren(...items.slice(-6).map((c) => h("li", { class: "live-text", text: c.text })));
    },
  };
}
