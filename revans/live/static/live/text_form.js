// A text box with its send button(s), error slot and the server's hints: the shape of most
// things a person writes in the room.

import { errorSlot, field, h } from "./dom.js";
import { T } from "./state.js";
import { act } from "./socket.js";

export function textForm({ label, button, action, extra = () => ({}), rows = 3, help = null, secondary = null }) {
  const box = h("textarea", { rows: String(rows), maxlength: "1000" });
  const [wrap] = field(label, box, help);
  const error = errorSlot();
  const hints = h("div", { class: "live-hints", hidden: true });
  const send = (act_, btn) => act({ action: act_, text: box.value, ...extra() }, {
    error,
    button: btn,
    ok: (result) => {
      box.value = "";
      hints.replaceChildren();
      hints.hidden = !(result.hints && result.hints.length);
      if (!hints.hidden) {
        hints.append(h("p", { class: "field-label", text: T.hints }), ...result.hints.map((x) => h("p", { class: "meta", text: x.message })));
      }
    },
  });
  const primary = h("button", { type: "button", text: button });
  primary.addEventListener("click", () => send(action, primary));
  const buttons = h("div", { class: "form-actions" }, primary);
  if (secondary) {
    const other = h("button", { type: "button", class: "secondary", text: secondary.button });
    other.addEventListener("click", () => send(secondary.action, other));
    buttons.append(other);
  }
  return { el: h("div", { class: "live-form" }, wrap, error, buttons, hints), box };
}
