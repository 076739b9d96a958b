// Rounds 7 and 8: the issue holder's actions, then the set's review of how it worked.

import { errorSlot, field, fmt, h, markSaved } from "./dom.js";
import { S, T, holderId, nameOf, stage, you } from "./state.js";
import { act } from "./socket.js";
import { textForm } from "./text_form.js";

export function actionsPanel() {
  const holder = holderId();
  const list = h("ul", { class: "live-actions" });
  const el = h("div", {});
  const mine = holder === you().id;
  if (mine) el.append(textForm({ label: T.your_action, button: T.add_action, action: "add_action", rows: 2, help: T.action_help }).el);
  else el.append(h("p", { class: "live-banner", text: fmt(T.actions_by, { name: nameOf(holder) }) }));
  el.append(h("h3", { text: T.actions_heading }), list);
  // What the issue holder acts on is what the set gave them: the questions they kept to think
  // about later and the feedback of round 6, for this issue, in sight while they write.
  const actOn = h("div", {});
  if (mine) el.append(actOn);
  return {
    el,
    update() {
      if (mine) actOn.replaceChildren(...toActOn());
      const actions = S.snap.contributions.filter((c) => c.kind === "action" && c.position === stage().position);
      list.replaceChildren(...(actions.length ? actions.map((c) => h("li", { class: "live-text", text: c.text })) : [h("li", { class: "meta", text: T.no_actions })]));
    },
  };
}

function toActOn() {
  const slot = stage().issue_slot;
  const positions = (round) => new Set(S.snap.agenda.filter((a) => a.round === round && a.issue_slot === slot).map((a) => a.position));
  const [asked, fedBack] = [positions(5), positions(6)];
  const later = S.snap.contributions.filter((c) => c.kind === "question" && c.state === "later" && asked.has(c.position) && c.addressed_to?.id === you().id);
  const feedback = S.snap.contributions.filter((c) => c.kind === "feedback" && fedBack.has(c.position));
  const section = (heading, items, line) => (items.length
    ? [h("h3", { text: heading }), h("ul", { class: "live-to-act-on" }, ...items.map((c) => h("li", { class: "live-text" }, ...line(c))))]
    : []);
  return [
    ...section(T.kept_for_later, later, (c) => [c.text, h("span", { class: "meta", text: ` (${c.author.name})` })]),
    ...section(T.feedback_to_you, feedback, (c) => [h("strong", { text: c.author.name }), `: ${c.text}`]),
  ];
}

export function reviewPanel() {
  // No score is chosen for anyone: a ready-made 7 would be sent by whoever did not stop to think.
  const own = S.snap.own_rating?.score;
  const score = h("select", {}, h("option", { value: "", text: T.choose_score, selected: !own }),
    ...Array.from({ length: 10 }, (_, i) => h("option", { value: i + 1, text: i + 1, selected: own === i + 1 })));
  const well = h("textarea", { rows: "2", maxlength: "500" });
  const diff = h("textarea", { rows: "2", maxlength: "500" });
  well.value = S.snap.own_rating?.went_well || "";
  diff.value = S.snap.own_rating?.do_differently || "";
  const error = errorSlot();
  const saved = h("p", { class: "meta", role: "status" });
  const send = h("button", { type: "button", text: T.send_rating });
  send.addEventListener("click", () => act({ action: "rate_process", score: score.value ? Number(score.value) : null, went_well: well.value, do_differently: diff.value }, { error, button: send, ok: () => { saved.textContent = T.saved; markSaved(well, diff); } }));
  const summary = h("p", { class: "meta" });
  const el = h("div", {},
    h("h3", { text: T.coach_questions }), h("ul", {}, ...S.snap.coach_questions.map((q) => h("li", { text: q }))),
    h("details", { class: "live-cycle" }, h("summary", { text: T.cycle_aid }),
      h("p", { class: "meta", text: T.cycle_intro }), h("ol", {}, ...T.cycle_steps.map((step) => h("li", { text: step })))),
    h("div", { class: "live-form" }, field(T.rating, score)[0], field(T.went_well, well)[0], field(T.do_differently, diff)[0], error, h("div", { class: "form-actions" }, send), saved),
    summary);
  return {
    el,
    update() {
      const r = S.snap.ratings;
      summary.textContent = r && r.count ? fmt(T.rated, { count: r.count, average: r.average }) : "";
    },
  };
}
