// Round 3: members bid for airtime; the facilitator chooses one or two issue holders, helped
// by an order that puts the least airtime first.

import { errorSlot, field, fmt, h, markSaved, newId } from "./dom.js";
import { S, T, facilitates, nameOf, you } from "./state.js";
import { act, versioned } from "./socket.js";

export function biddingPanel() {
  const list = h("ul", { class: "plain live-bids" });
  const suggested = h("ol", { class: "live-suggested" });
  const chooseBox = h("fieldset", { class: "live-form", hidden: true });
  const chooseError = errorSlot();
  const el = h("div", {});
  const isMember = S.snap.people.some((p) => p.id === you().id && p.role === "member");
  // A combined meeting's first slot was agreed before it: say whose, and that bids are for
  // the other one; the person agreed has nothing to bid for.
  const agreed = S.snap.agreed_holder_id;
  if (agreed) {
    const text = agreed === you().id ? T.agreed_slot_yours
      : fmt(S.snap.topic ? T.agreed_slot : T.agreed_slot_no_topic, { name: nameOf(agreed), topic: S.snap.topic });
    el.append(h("p", { class: "notice live-agreed" }, text));
  }
  let send = null;
  let withdraw = null;
  let chosenNote = null;
  if (isMember && agreed !== you().id) {
    // Filled in with their bid if they have one (after a reload), so changing it is easy.
    const mine = S.snap.bids.find((b) => b.user.id === you().id);
    const title = h("input", { type: "text", maxlength: "120", value: mine?.title ?? "" });
    const detail = h("input", { type: "text", maxlength: "300", value: mine?.detail ?? "" });
    const scale = (chosen) => h("select", {}, ...[1, 2, 3, 4, 5].map((n) => h("option", { value: n, text: n, selected: n === chosen })));
    const urgency = scale(mine?.urgency ?? 3);
    const importance = scale(mine?.importance ?? 3);
    const minutes = h("input", { type: "number", min: "1", max: "120", value: String(mine?.minutes_wanted ?? 20), inputmode: "numeric", class: "live-small" });
    const error = errorSlot();
    send = h("button", { type: "button", text: T.submit_bid });
    send.addEventListener("click", () => act({ action: "submit_bid", title: title.value, detail: detail.value, urgency: Number(urgency.value), importance: Number(importance.value), minutes_wanted: Number(minutes.value) }, { error, button: send, ok: () => markSaved(title, detail) }));
    withdraw = h("button", { type: "button", class: "secondary", text: T.withdraw_bid, onclick: () => act({ action: "withdraw_bid" }, { error }) });
    chosenNote = h("p", { class: "notice live-bid-chosen", role: "status", hidden: true, text: T.your_bid_chosen });
    el.append(chosenNote, h("fieldset", { class: "live-form" }, h("legend", { text: T.bid_heading }),
      field(T.bid_title, title)[0], field(T.bid_detail, detail)[0],
      h("div", { class: "row live-bid-numbers" }, field(T.urgency, urgency)[0], field(T.importance, importance)[0], field(T.minutes_wanted, minutes)[0]),
      error, h("div", { class: "form-actions" }, send, withdraw)));
  }
  const suggestedHeading = h("h3", { text: T.suggested });
  el.append(h("h3", { text: T.bids }), list, suggestedHeading, suggested, chooseBox);
  return {
    el,
    update() {
      const bids = S.snap.bids;
      list.replaceChildren(...(bids.length ? bids.map((b) => h("li", { class: "live-bid" },
        h("strong", { text: b.title }), " · ", b.user.name,
        b.chosen_slot ? h("span", { class: "badge badge-active", text: ` ${T.chosen}` }) : null,
        b.detail ? h("p", { class: "meta live-text", text: b.detail }) : null,
        h("p", { class: "meta", text: fmt(T.bid_numbers, { urgency: b.urgency, importance: b.importance, minutes: b.minutes_wanted }) }))) : [h("li", { class: "meta", text: T.no_bids })]));
      const mine = bids.find((b) => b.user.id === you().id);
      if (send) send.textContent = mine ? T.change_bid : T.submit_bid;
      // A chosen bid stays the set's choice until the facilitator chooses again (the server
      // refuses to withdraw it): the member is told they present, and not offered to withdraw.
      if (withdraw) withdraw.hidden = !mine || Boolean(mine.chosen_slot);
      if (chosenNote) chosenNote.hidden = !mine?.chosen_slot;
      // An order of nobody says nothing: shown once there are bids to order.
      suggestedHeading.hidden = suggested.hidden = !bids.length;
      suggested.replaceChildren(...S.snap.suggested_order.map((id) => h("li", { text: nameOf(id) })));
      chooseBox.hidden = !facilitates() || !bids.length;
      if (facilitates() && bids.length) {
        const checked = new Set([...chooseBox.querySelectorAll("input:checked")].map((i) => Number(i.value)));
        const boxes = bids.map((b) => {
          const id = newId("choose");
          return h("div", { class: "field-checkbox" },
            h("input", { type: "checkbox", id, value: b.user.id, checked: checked.has(b.user.id) || Boolean(b.chosen_slot) }), " ",
            h("label", { for: id, text: `${b.user.name}: ${b.title}` }));
        });
        const go = h("button", { type: "button", text: T.choose });
        go.addEventListener("click", () => {
          const ids = [...chooseBox.querySelectorAll("input:checked")].map((i) => Number(i.value));
          act(versioned({ action: "choose_issue_holders", user_ids: ids }), { error: chooseError, button: go });
        });
        chooseBox.replaceChildren(h("legend", { text: agreed ? T.choose_open_slot : T.choose_heading }), ...boxes, chooseError, h("div", { class: "form-actions" }, go));
      }
    },
  };
}
