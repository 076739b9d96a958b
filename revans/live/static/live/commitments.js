// Round 2: each member's commitments from the last meeting, shown beside them, and the forms
// that record how each went.

import { errorSlot, field, fmt, h } from "./dom.js";
import { S, T, nameOf, you } from "./state.js";
import { act } from "./socket.js";

const commitmentsOf = (userId) => (S.snap.commitments || []).filter((c) => c.owner_id === userId);
export const ownCommitments = () => commitmentsOf(you().id);

function commitmentLine(c) {
  const due = fmt(T.commitment_due, { date: new Date(`${c.due_on}T12:00:00`).toLocaleDateString("en-GB", { day: "numeric", month: "long" }) });
  const review = c.review ? `${T.reviewed}: ${T.outcomes[c.review.outcome] || c.review.outcome}${c.review.learning ? ` · ${c.review.learning}` : ""}` : T.not_reviewed;
  return [h("span", { class: "live-text", text: c.what }), h("span", { class: "meta", text: ` (${T.statuses[c.status] || c.status}, ${due}) ` }), h("span", { class: `meta live-commitment-review${c.review ? " is-reviewed" : ""}`, text: review })];
}

// Beside a member in round 2: their commitments since the last meeting, and how each went.
export function commitmentList(userId) {
  const items = commitmentsOf(userId);
  if (!items.length) return null;
  return h("ul", { class: "live-commitments", "aria-label": fmt(T.commitments_of, { name: nameOf(userId) }) },
    ...items.map((c) => h("li", { "data-commitment": c.id }, ...commitmentLine(c))));
}

export function commitmentReviewForm(c) {
  const outcome = h("select", { "data-key": `outcome-${c.id}` }, ...Object.entries(T.outcomes).map(([value, text]) => h("option", { value, text, selected: c.review?.outcome === value })));
  const learning = h("input", { type: "text", maxlength: "500", "data-key": `learning-${c.id}` });
  learning.value = c.review?.learning || "";
  const [o] = field(T.commitment_outcome, outcome);
  const [l] = field(T.one_line_learning, learning);
  const error = errorSlot();
  const saved = h("p", { class: "meta", role: "status" });
  const save = h("button", { type: "button", text: T.save, "data-key": `save-${c.id}` });
  save.addEventListener("click", () => act({ action: "review_commitments", commitment_id: c.id, outcome: outcome.value, learning: learning.value }, { error, button: save, ok: () => { saved.textContent = T.saved; } }));
  return h("fieldset", { class: "live-form live-commitment-form", "data-commitment": c.id }, h("legend", { class: "live-text", text: fmt(T.commitment_heading, { what: c.what }) }), o, l, error, h("div", { class: "form-actions" }, save), saved);
}

export function reviewForm() {
  const outcome = h("select", {}, ...Object.entries(T.outcomes).map(([value, text]) => h("option", { value, text })));
  const learning = h("input", { type: "text", maxlength: "500" });
  const [o] = field(T.outcome, outcome);
  const [l] = field(T.one_line_learning, learning);
  const error = errorSlot();
  const saved = h("p", { class: "meta", role: "status" });
  const save = h("button", { type: "button", text: T.save });
  save.addEventListener("click", () => act({ action: "review_commitments", outcome: outcome.value, learning: learning.value }, { error, button: save, ok: () => { saved.textContent = T.saved; } }));
  return h("fieldset", { class: "live-form" }, h("legend", { text: T.your_commitments }), o, l, error, h("div", { class: "form-actions" }, save), saved);
}
