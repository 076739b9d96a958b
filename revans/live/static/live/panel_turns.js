// Rounds taken in turn (1 check-in, 2 reflection, 6 feedback): the turn order, with the
// facilitator's controls for it; round 2 adds commitments, round 6 learning and feedback.

import { errorSlot, fmt, h, keepRows } from "./dom.js";
import { S, T, awayLabel, facilitates, holderId, isHere, nameOf, stage, you } from "./state.js";
import { act, versioned } from "./socket.js";
import { commitmentList, facilitatorReview, ownCommitments, ownReviewForm, reviewForm } from "./commitments.js";
import { textForm } from "./text_form.js";

// Where one turn stands, as the room and the shared screen both say it.
export function turnState(t) {
  const speaking = Boolean(t.started_at && !t.done_at);
  const waits = !t.started_at && !t.done_at;
  const status = t.done_at ? (t.started_at ? T.done : T.passed) : speaking ? T.speaking : T.waiting;
  return { speaking, waits, status };
}

// The current round's turns, in order (empty outside the rounds taken in turn).
export const currentTurns = () => S.snap.turns.find((t) => t.position === stage().position);

export function turnsPanel(round) {
  const list = h("ol", { class: "live-turns" });
  const mineBox = h("div", {});
  const facBox = h("div", { class: "row" });
  const error = errorSlot();
  // What each member writes in this round, set apart from the turn order above it.
  const extra = h("div", { class: "live-turns-extra" });
  const el = h("div", {}, h("h3", { text: T.turn_order }), list, error, mineBox, facBox, extra);
  if (facilitates()) {
    const nextTurn = h("button", { type: "button", text: T.start_next_turn });
    nextTurn.addEventListener("click", () => act(versioned({ action: "start_next_turn" }), { error, button: nextTurn }));
    const shuffle = h("button", { type: "button", class: "secondary", text: T.shuffle, onclick: () => act({ action: "shuffle_turns", position: stage().position }, { error }) });
    facBox.append(nextTurn, shuffle);
    dragToOrder(list, error, () => panel.update());
  }
  let reviewList = null;
  if (round === 2) {
    reviewList = h("ul", { class: "plain live-reviews" });
    extra.append(h("h3", { text: T.reviews }), reviewList);
    if (you().is_coach === false || S.snap.people.some((p) => p.id === you().id && p.role === "member")) {
      // A member with commitments to review says how each went; one without, how things went.
      const mine = ownCommitments();
      extra.append(mine.length ? ownReviewForm(mine) : reviewForm());
    }
  }
  let shared = null;
  if (round === 6) {
    shared = h("ul", { class: "live-shared" });
    extra.append(textForm({ label: T.learning, button: T.record_learning, action: "record_learning" }).el);
    if (holderId() && holderId() !== you().id) {
      extra.append(textForm({ label: fmt(T.feedback, { name: nameOf(holderId()) }), button: T.give_feedback, action: "give_feedback" }).el);
    }
    extra.append(h("h3", { text: T.shared_learning }), shared);
  }
  // Rows are kept, not rebuilt: whoever facilitates may be typing in a member's review form.
  const turnRow = (t) => {
    const li = h("li", {});
    const member = S.snap.people.some((p) => p.id === t.user_id && p.role === "member");
    if (round === 2 && facilitates() && member && t.user_id !== you().id) {
      li.review = facilitatorReview(t.user_id);
      li.append(li.review.el);
    }
    return li;
  };
  const panel = {
    el,
    update() {
      // Redrawing the rows mid-drag would pull them from under the pointer.
      if (list.dragging) return;
      const turns = currentTurns();
      const rows = turns ? turns.turns : [];
      const waiting = rows.filter((t) => !t.started_at && !t.done_at).map((t) => t.user_id);
      const reviews = new Map(S.snap.commitment_reviews.map((r) => [r.member.id, r]));
      keepRows(list, rows, (t) => t.user_id, turnRow, (li, t) => {
        const { speaking, waits, status } = turnState(t);
        li.className = `live-turn${speaking ? " is-speaking" : ""}${t.done_at ? " is-done" : ""}${waits ? " is-waiting" : ""}`;
        li.dataset.user = t.user_id;
        if (speaking) li.setAttribute("aria-current", "true");
        else li.removeAttribute("aria-current");
        // Everything but the facilitator's review form is drawn afresh, in front of it.
        const kept = li.review?.el;
        for (const node of [...li.childNodes]) if (node !== kept) node.remove();
        const drawn = [h("span", { class: "live-turn-name", text: nameOf(t.user_id) }), h("span", { class: "badge", text: status })];
        // Whose turn may need skipping, in sight of the order (not everyone has a device
        // in a room, so it is a hint, never a skip).
        if (waits && !isHere(t.user_id)) drawn.push(h("span", { class: "meta", text: `(${awayLabel(t.user_id)})` }));
        // Only the facilitator drags, and only turns still to come; the arrows do the same
        // from the keyboard, so the handle is hidden from screen readers.
        if (facilitates() && waits) drawn.unshift(h("span", { class: "live-drag", "aria-hidden": "true", title: T.drag_to_order, text: "⠿" }));
        if (speaking && !stage().paused) drawn.push(h("span", { class: "live-turn-timer", "data-turn-started": t.started_at, "data-turn-seconds": turns.turn_seconds }));
        if (round === 2 && reviews.has(t.user_id)) {
          const r = reviews.get(t.user_id);
          drawn.push(h("span", { class: "meta live-review", text: ` ${T.outcomes[r.outcome] || r.outcome}${r.learning ? `: ${r.learning}` : ""}` }));
        }
        // The facilitator's buttons for this turn stay together (on a phone, on a line of
        // their own) so each row reads the same way.
        const controls = h("span", { class: "live-turn-controls" });
        const index = waiting.indexOf(t.user_id);
        if (facilitates() && index >= 0) {
          const move = (delta) => {
            const order = [...waiting];
            const [id] = order.splice(index, 1);
            order.splice(index + delta, 0, id);
            act({ action: "reorder_turns", user_ids: order, position: stage().position }, { error });
          };
          const name = nameOf(t.user_id);
          controls.append(h("span", { class: "row live-move" },
            h("button", { type: "button", class: "secondary live-small-button", "data-key": `up-${t.user_id}`, disabled: index === 0, "aria-label": fmt(T.move_up, { name }), text: "↑", onclick: () => move(-1) }),
            h("button", { type: "button", class: "secondary live-small-button", "data-key": `down-${t.user_id}`, disabled: index === waiting.length - 1, "aria-label": fmt(T.move_down, { name }), text: "↓", onclick: () => move(1) })));
        }
        if (facilitates() && !t.done_at && t.user_id !== you().id) {
          controls.append(h("button", { type: "button", class: "link-button", "data-key": `done-${t.user_id}`, text: T.mark_done, "aria-label": fmt(T.mark_done_for, { name: nameOf(t.user_id) }), onclick: () => act({ action: "mark_turn_done", user_id: t.user_id }, { error }) }));
        }
        if (controls.childNodes.length) drawn.push(controls);
        const theirs = round === 2 ? commitmentList(t.user_id) : null;
        if (theirs) drawn.push(theirs);
        li.prepend(...drawn);
        li.review?.update();
      });
      const mine = rows.find((t) => t.user_id === you().id);
      mineBox.replaceChildren();
      if (mine && !mine.done_at && mine.started_at) {
        mineBox.append(h("button", { type: "button", "data-key": "i-am-done", text: T.i_am_done, onclick: () => act({ action: "mark_turn_done" }, { error }) }));
      } else if (mine && !mine.done_at) {
        // Before their turn a member may pass; a pass cannot be taken back, so it is asked.
        const pass = () => { if (window.confirm(T.pass_confirm)) act({ action: "mark_turn_done" }, { error }); };
        const ahead = waiting.indexOf(mine.user_id);
        const begun = rows.some((t) => t.started_at || t.done_at);
        const where = ahead > 0 ? T.not_your_turn_yet : begun ? T.you_are_next : T.you_are_first;
        mineBox.append(h("p", { class: "meta", "data-key": "my-place", text: `${where} ${T.pass_hint}` }),
          h("button", { type: "button", class: "secondary", "data-key": "pass-turn", text: T.pass_my_turn, onclick: pass }));
      }
      if (reviewList) {
        const reviews = S.snap.commitment_reviews;
        reviewList.replaceChildren(...(reviews.length
          ? reviews.map((r) => h("li", {}, h("strong", { text: r.member.name }), `: ${T.outcomes[r.outcome] || r.outcome}`, r.learning ? ` · ${r.learning}` : ""))
          : [h("li", { class: "meta", text: T.no_reviews })]));
      }
      if (shared) {
        const items = S.snap.contributions.filter((c) => c.position === stage().position && (c.kind === "learning" || c.kind === "feedback"));
        shared.replaceChildren(...(items.length
          ? items.map((c) => h("li", { class: "live-text" }, h("strong", { text: c.author.name }), `: ${c.text}`))
          : [h("li", { class: "meta", text: T.nothing_shared })]));
      }
    },
  };
  return panel;
}

function dragToOrder(list, error, redraw) {
  if (!window.Sortable) return; // the arrows still work
  window.Sortable.create(list, {
    draggable: ".live-turn.is-waiting",
    handle: ".live-drag",
    // The same pointer handling for mouse and touch (a phone on the table, too).
    forceFallback: true,
    animation: 120,
    onStart() {
      list.dragging = true;
    },
    onEnd(event) {
      list.dragging = false;
      if (event.oldIndex === event.newIndex) {
        redraw(); // picked up and put back: nothing to send
        return;
      }
      const order = [...list.querySelectorAll(".live-turn.is-waiting")].map((li) => Number(li.dataset.user));
      // Done: its event redraws the rows (with anything that came during the drag).
      // Refused: they go back to the order that stands.
      act({ action: "reorder_turns", user_ids: order, position: stage().position }, { error, fail: () => { redraw(); } });
    },
  });
}
