// Round 2: each member's commitments from the last meeting, shown beside them, and the forms
// that record how each went.

import { clearInvalid, errorSlot, field, fmt, h, keepRows, markInvalid, markSaved } from "./dom.js";
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

// How one commitment (or a member's actions overall) went: a choice and one line of learning.
// `keys` keeps focus across redraws where the form is rebuilt (refocus in dom.js). How it
// went starts unchosen: a Save pressed in passing must not record "Done" for someone (the
// server asks them to choose).
function verdictFields({ outcomeLabel, learningLabel, review = null, keys = null }) {
  const choices = Object.entries(T.outcomes).map(([value, text]) => h("option", { value, text, selected: review?.outcome === value }));
  const outcome = h("select", { "data-key": keys && `outcome-${keys}` }, h("option", { value: "", text: T.choose_outcome, selected: !review }), ...choices);
  const learning = h("input", { type: "text", maxlength: "500", "data-key": keys && `learning-${keys}` });
  learning.value = review?.learning || "";
  const [o] = field(outcomeLabel, outcome);
  const [l] = field(learningLabel, learning);
  return { outcome, learning, o, l };
}

// A Save, the refusal beside it and "Saved." once the server has it. `send` builds the
// message when pressed; `boxes` are the text boxes it saves (then not offered back as unsent
// when the round moves on); `onEdit` is for the fields it saves, so "Saved." never stays
// beside words typed since.
function saveControls({ label, keys, send, boxes, onSaved = () => {}, onRefused = () => {} }) {
  const error = errorSlot();
  const saved = h("p", { class: "meta", role: "status" });
  const save = h("button", { type: "button", text: label, "data-key": keys && `save-${keys}` });
  const done = () => {
    markSaved(...boxes());
    onSaved();
    saved.textContent = T.saved;
  };
  save.addEventListener("click", () => {
    const message = send();
    if (!message) {
      done();  // nothing changed since the last Save
      return;
    }
    act(message, { error, button: save, ok: done, fail: (answer) => {
      onRefused(answer);
    } });
  });
  const onEdit = () => { saved.textContent = ""; };
  return { error, saved, save, onEdit };
}

// Several commitments, one Save: what was chosen or typed for each goes in one act, so a
// verdict typed beside a second Save is never left behind when the round moves on. Only
// those changed since they were recorded are sent; a refused one is marked and focused.
function commitmentVerdicts(parts, recorded) {
  const touched = parts.filter((p) => p.outcome.value || p.learning.value.trim());
  const changed = touched.filter((p) => {
    const r = recorded(p.c.id);
    return p.outcome.value !== (r?.outcome || "") || p.learning.value.trim() !== (r?.learning || "");
  });
  if (touched.length && !changed.length) return null;
  return changed.map((p) => ({ commitment_id: p.c.id, outcome: p.outcome.value, learning: p.learning.value }));
}

function markRefused(parts, answer) {
  const id = answer.details?.commitment_id;
  const part = id && parts.find((p) => p.c?.id === id);
  if (!part) return;
  markInvalid(answer.details.field === "learning" ? part.learning : part.outcome);
}

const clearMarks = (parts) => parts.forEach((p) => [p.outcome, p.learning].forEach(clearInvalid));
const reviewOf = (id) => (S.snap.commitments || []).find((c) => c.id === id)?.review || null;

// A member's own commitments, each with how it went, and one Save for them all.
export function ownReviewForm(items) {
  const parts = items.map((c) => ({ c, ...verdictFields({ outcomeLabel: T.commitment_outcome, learningLabel: T.one_line_learning, review: c.review, keys: c.id }) }));
  const { error, saved, save, onEdit } = saveControls({
    label: T.save_my_review,
    keys: "mine",
    boxes: () => parts.map((p) => p.learning),
    send: () => {
      clearMarks(parts);
      const reviews = commitmentVerdicts(parts, reviewOf);
      return reviews && { action: "save_commitment_reviews", reviews };
    },
    onRefused: (answer) => markRefused(parts, answer),
  });
  const groups = parts.map((p) => {
    p.outcome.addEventListener("change", onEdit);
    p.learning.addEventListener("input", onEdit);
    return h("fieldset", { class: "live-commitment-form", "data-commitment": p.c.id }, h("legend", { class: "live-text", text: fmt(T.commitment_heading, { what: p.c.what }) }), p.o, p.l);
  });
  return h("fieldset", { class: "live-form live-own-reviews" }, h("legend", { text: T.your_commitments_reviewed }), ...groups, error, h("div", { class: "form-actions" }, save), saved);
}

// A member with no commitments to review says how their actions went, overall.
export function reviewForm() {
  const { outcome, learning, o, l } = verdictFields({ outcomeLabel: T.outcome, learningLabel: T.one_line_learning });
  const { error, saved, save, onEdit } = saveControls({ label: T.save, boxes: () => [learning], send: () => ({ action: "review_commitments", outcome: outcome.value, learning: learning.value }) });
  outcome.addEventListener("change", onEdit);
  learning.addEventListener("input", onEdit);
  const none = h("p", { class: "meta", text: T.no_commitments_recorded });
  return h("fieldset", { class: "live-form" }, h("legend", { text: T.your_commitments }), none, o, l, error, h("div", { class: "form-actions" }, save), saved);
}

// For a room sharing one screen, the members say it aloud and whoever facilitates records it
// for them. It sits in the member's turn row, which is kept on each update (keepRows), so the
// facilitator typing a line of learning keeps the focus while the room moves on.
export function facilitatorReview(userId) {
  const name = nameOf(userId);
  const forms = h("div", { class: "live-fac-review-forms" });
  // What the facilitator has started to change is theirs until saved; until then each form
  // follows the review as recorded, so it shows what the member said on their own device.
  const parts = [];
  const { error, saved, save, onEdit } = saveControls({
    label: fmt(T.save_review_of, { name }),
    keys: `fac-${userId}`,
    boxes: () => parts.map((p) => p.learning),
    send: () => {
      clearMarks(parts);
      if (!commitmentsOf(userId).length) {
        const [p] = parts;
        return { action: "review_commitments", member_id: userId, outcome: p.outcome.value, learning: p.learning.value };
      }
      const reviews = commitmentVerdicts(parts.filter((p) => p.c), reviewOf);
      return reviews && { action: "save_commitment_reviews", member_id: userId, reviews };
    },
    onSaved: () => parts.forEach((p) => { p.edited = false; }),
    onRefused: (answer) => markRefused(parts, answer),
  });
  const el = h("details", { class: "live-fac-review", "data-member": userId },
    h("summary", { text: fmt(T.record_review_for, { name }) }), forms, error,
    h("div", { class: "row live-fac-review-actions" }, save, saved));
  return {
    el,
    update() {
      // A member with nothing to review still says how their actions went, overall.
      const items = commitmentsOf(userId);
      keepRows(forms, items.length ? items : [null], (c) => (c ? c.id : "overall"),
        (c) => facilitatorReviewForm(name, c, parts, onEdit),
        (form, c) => form.sync(c ? c.review : S.snap.commitment_reviews.find((r) => r.member.id === userId)));
      // Forms of commitments no longer shown are no longer saved.
      const shown = new Set([...forms.children].map((f) => f.verdict));
      parts.splice(0, parts.length, ...parts.filter((p) => shown.has(p)));
    },
  };
}

function facilitatorReviewForm(name, c, parts, onEdit) {
  const part = { c, edited: false, ...verdictFields({
    outcomeLabel: fmt(c ? T.their_commitment_outcome : T.their_outcome, { name }),
    learningLabel: fmt(T.their_learning, { name }),
  }) };
  parts.push(part);
  const edit = () => {
    part.edited = true;
    onEdit();
  };
  part.outcome.addEventListener("change", edit);
  part.learning.addEventListener("input", edit);
  const legend = c ? fmt(T.their_commitment, { name, what: c.what }) : fmt(T.their_actions, { name });
  const form = h("fieldset", { class: "live-form live-fac-review-form", "data-commitment": c ? c.id : null },
    h("legend", { class: "live-text", text: legend }), h("div", { class: "row live-fac-review-fields" }, part.o, part.l));
  form.verdict = part;  // not `part`: elements have their own (CSS shadow parts)
  form.sync = (review) => {
    if (part.edited) return;
    const chosen = review?.outcome || part.outcome.options[0].value;
    if (part.outcome.value !== chosen) part.outcome.value = chosen;
    if (part.learning.value !== (review?.learning || "")) part.learning.value = review?.learning || "";
  };
  return form;
}
