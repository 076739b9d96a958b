// Round 2: each member's commitments from the last meeting, shown beside them, and the forms
// that record how each went.

import { errorSlot, field, fmt, h, keepRows } from "./dom.js";
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

// What every review form has: how it went, one line of learning, and a Save that sends
// review_commitments for `target` (a commitment, or a member overall). `keys` keeps focus
// across redraws where the form is rebuilt (refocus in dom.js). How it went starts unchosen:
// a Save pressed in passing must not record "Done" for someone (the server asks them to choose).
function reviewParts({ outcomeLabel, learningLabel, target, review = null, keys = null, onSaved = () => {} }) {
  const choices = Object.entries(T.outcomes).map(([value, text]) => h("option", { value, text, selected: review?.outcome === value }));
  const outcome = h("select", { "data-key": keys && `outcome-${keys}` }, h("option", { value: "", text: T.choose_outcome, selected: !review }), ...choices);
  const learning = h("input", { type: "text", maxlength: "500", "data-key": keys && `learning-${keys}` });
  learning.value = review?.learning || "";
  const [o] = field(outcomeLabel, outcome);
  const [l] = field(learningLabel, learning);
  const error = errorSlot();
  const saved = h("p", { class: "meta", role: "status" });
  const save = h("button", { type: "button", text: T.save, "data-key": keys && `save-${keys}` });
  save.addEventListener("click", () => act({ action: "review_commitments", ...target, outcome: outcome.value, learning: learning.value }, { error, button: save, ok: () => {
    onSaved();
    saved.textContent = T.saved;
  } }));
  return { outcome, learning, o, l, error, saved, save };
}

export function commitmentReviewForm(c) {
  const { o, l, error, save, saved } = reviewParts({ outcomeLabel: T.commitment_outcome, learningLabel: T.one_line_learning, target: { commitment_id: c.id }, review: c.review, keys: c.id });
  return h("fieldset", { class: "live-form live-commitment-form", "data-commitment": c.id }, h("legend", { class: "live-text", text: fmt(T.commitment_heading, { what: c.what }) }), o, l, error, h("div", { class: "form-actions" }, save), saved);
}

export function reviewForm() {
  const { o, l, error, save, saved } = reviewParts({ outcomeLabel: T.outcome, learningLabel: T.one_line_learning, target: {} });
  return h("fieldset", { class: "live-form" }, h("legend", { text: T.your_commitments }), o, l, error, h("div", { class: "form-actions" }, save), saved);
}

// For a room sharing one screen, the members say it aloud and whoever facilitates records it
// for them. It sits in the member's turn row, which is kept on each update (keepRows), so the
// facilitator typing a line of learning keeps the focus while the room moves on.
export function facilitatorReview(userId) {
  const forms = h("div", { class: "live-fac-review-forms" });
  const el = h("details", { class: "live-fac-review", "data-member": userId },
    h("summary", { text: fmt(T.record_review_for, { name: nameOf(userId) }) }), forms);
  return {
    el,
    update() {
      // A member with nothing to review still says how their actions went, overall.
      const items = commitmentsOf(userId);
      keepRows(forms, items.length ? items : [null], (c) => (c ? c.id : "overall"),
        (c) => facilitatorReviewForm(userId, c),
        (form, c) => form.sync(c ? c.review : S.snap.commitment_reviews.find((r) => r.member.id === userId)));
    },
  };
}

function facilitatorReviewForm(userId, c) {
  const name = nameOf(userId);
  // What the facilitator has started to change is theirs until saved; until then the form
  // follows the review as recorded, so it shows what the member said on their own device.
  let edited = false;
  const { outcome, learning, o, l, error, save, saved } = reviewParts({
    outcomeLabel: fmt(c ? T.their_commitment_outcome : T.their_outcome, { name }),
    learningLabel: fmt(T.their_learning, { name }),
    target: c ? { commitment_id: c.id } : { member_id: userId },
    onSaved: () => { edited = false; },
  });
  const edit = () => {
    edited = true;
    saved.textContent = "";
  };
  outcome.addEventListener("change", edit);
  learning.addEventListener("input", edit);
  const legend = c ? fmt(T.their_commitment, { name, what: c.what }) : fmt(T.their_actions, { name });
  const form = h("fieldset", { class: "live-form live-fac-review-form", "data-commitment": c ? c.id : null },
    h("legend", { class: "live-text", text: legend }), h("div", { class: "row live-fac-review-fields" }, o, l), error,
    h("div", { class: "row live-fac-review-actions" }, save, saved));
  form.sync = (review) => {
    if (edited) return;
    const chosen = review?.outcome || outcome.options[0].value;
    if (outcome.value !== chosen) outcome.value = chosen;
    if (learning.value !== (review?.learning || "")) learning.value = review?.learning || "";
  };
  return form;
}
