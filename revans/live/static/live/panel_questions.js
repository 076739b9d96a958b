// Rounds 4 and 5: the issue holder presents while the others keep notes, then the set asks
// questions and the issue holder answers or marks them.

import { errorSlot, field, fmt, h, keepRows } from "./dom.js";
import { S, T, holderId, nameOf, stage, you } from "./state.js";
import { act } from "./socket.js";
import { textForm } from "./text_form.js";

function privateNotes() {
  const list = h("ul", { class: "live-notes" });
  // Shown once there is a note: an empty heading read as if notes had gone missing.
  const el = h("div", { hidden: true }, h("h3", { text: T.your_private_notes }), list);
  return {
    el,
    update() {
      const notes = S.snap.contributions.filter((c) => c.kind === "private_note" && c.author.id === you().id);
      list.replaceChildren(...notes.map((c) => h("li", { class: "live-text", text: c.text })));
      el.hidden = !notes.length;
    },
  };
}

export function presentingPanel() {
  const holder = holderId();
  const notes = privateNotes();
  const el = h("div", {}, h("p", { class: "live-banner", text: holder === you().id ? T.you_are_presenting : fmt(T.is_presenting, { name: nameOf(holder) }) }));
  if (holder !== you().id) {
    el.append(h("p", { class: "meta", text: T.presenting_help }));
    // "Share" is offered so the ground rule is explained by the server, not hidden.
    el.append(textForm({ label: T.your_note, button: T.keep_private, action: "private_note", secondary: { button: T.share_with_set, action: "post_question" } }).el);
  }
  el.append(notes.el);
  return { el, update: () => notes.update() };
}

export function questioningPanel() {
  const holder = holderId();
  const list = h("ol", { class: "live-questions" });
  const el = h("div", {});
  // Members ask the issue holder unless they choose otherwise; the issue holder, when they ask,
  // chooses whom (a ready-made first name sent their question to whoever came first).
  const others = S.snap.people.filter((p) => p.id !== you().id).map((p) => h("option", { value: p.id, text: p.name, selected: p.id === holder }));
  const target = h("select", {}, holder === you().id ? h("option", { value: "", text: T.choose_person, selected: true }) : null, ...others);
  const [targetField] = field(T.ask_to, target);
  const form = textForm({ label: T.your_question, button: T.ask, action: "post_question", extra: () => ({ addressed_to: Number(target.value) }) });
  // What someone noted while the issue holder presented is what they ask from: it stays in
  // view beside the box for asking (and nowhere else anyone can see).
  const notes = privateNotes();
  const ask = [h("h3", { text: T.ask_heading }), targetField, form.el, notes.el];
  const questions = [h("h3", { text: T.questions }), list];
  // The issue holder's part in this round is answering: their questions come first (on a
  // phone the box for asking would otherwise push them below the fold).
  if (holder === you().id) el.append(...questions, ...ask);
  else el.append(...ask, ...questions);
  return {
    el,
    update() {
      const position = stage().position;
      const items = S.snap.contributions.filter((c) => c.position === position);
      const questions = items.filter((c) => c.kind === "question");
      keepRows(list, questions, (q) => q.id, questionRow, (row, q) => fillQuestionRow(row, q, items));
      if (!questions.length) list.append(h("li", { class: "meta", text: T.no_questions }));
      notes.update();
    },
  };
}

function questionRow(q) {
  const li = h("li", { "data-question": q.id },
    h("p", { class: "live-text live-question-text", text: q.text }),
    h("p", { class: "meta" }, h("span", { "data-role": "asked" }), " · ", h("span", { class: "badge", "data-role": "state" })),
    h("div", { "data-role": "answers" }));
  if (q.addressed_to && q.addressed_to.id === you().id) li.append(answerBox(q));
  return li;
}

function fillQuestionRow(li, q, items) {
  li.className = `live-question is-${q.state}`;
  li.querySelector("[data-role=asked]").textContent = fmt(T.asked, { author: q.author.name, to: q.addressed_to ? q.addressed_to.name : "" });
  li.querySelector("[data-role=state]").textContent = T.states[q.state] || q.state;
  const answers = items.filter((c) => c.kind === "answer" && c.in_reply_to === q.id);
  li.querySelector("[data-role=answers]").replaceChildren(...(answers.length
    ? [h("ul", { class: "live-answers" }, ...answers.map((a) => h("li", { class: "live-text" }, h("strong", { text: a.author.name }), `: ${a.text}`)))]
    : []));
  for (const b of li.querySelectorAll(".live-answer-box [data-state]")) b.hidden = b.dataset.state === q.state;
}

function answerBox(q) {
  const error = errorSlot();
  const answer = textForm({ label: T.your_answer, button: T.send_answer, action: "post_answer", extra: () => ({ in_reply_to: q.id }), rows: 2 });
  const marks = h("div", { class: "row" });
  for (const [state, text] of [["answered", T.mark_answered], ["later", T.mark_later], ["open", T.mark_open]]) {
    marks.append(h("button", { type: "button", class: "secondary", "data-state": state, "data-key": `mark-${q.id}-${state}`, text, "aria-label": `${text}: ${q.text.slice(0, 60)}`,
      onclick: () => act({ action: "mark_question", question_id: q.id, state }, { error }) }));
  }
  // Marking is one tap and in sight: issue holders mostly answer aloud. Writing an answer
  // down is the rarer case, so its box stays folded until asked for.
  return h("div", { class: "live-answer-box" }, marks, h("details", {}, h("summary", { text: T.answer }), answer.el), error);
}
