// Building blocks for drawing the room: elements, labelled fields, error slots, and lists that
// keep their rows. Text is always set with textContent: nothing anyone types is parsed as HTML.

export function fmt(text, params) {
  return String(text).replace(/%\((\w+)\)s/g, (_, key) => (key in params ? String(params[key]) : ""));
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "hidden") el.hidden = Boolean(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Lists that hold something a person may be typing in keep their rows on each update
// instead of being rebuilt: a textarea taken out of the page, even for a moment, loses
// the focus and the words being typed into it. Rows move only when out of place.
export function keepRows(list, items, keyOf, make, fill) {
  const rows = list.rows || (list.rows = new Map());
  const wanted = new Set(items.map(keyOf));
  for (const [key, row] of rows) {
    if (!wanted.has(key)) {
      row.remove();
      rows.delete(key);
    }
  }
  for (const child of [...list.children]) if (!rows.has(child.rowKey)) child.remove();
  let here = list.firstElementChild;
  for (const item of items) {
    const key = keyOf(item);
    let row = rows.get(key);
    if (!row) {
      row = make(item);
      row.rowKey = key;
      rows.set(key, row);
    }
    fill(row, item);
    if (row === here) here = here.nextElementSibling;
    else list.insertBefore(row, here);
  }
}

let uid = 0;
export const newId = (stem) => `live-${stem}-${++uid}`;

export function clock(seconds) {
  const sign = seconds < 0 ? "-" : "";
  const s = Math.abs(Math.round(seconds));
  return `${sign}${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// A labelled field: returns [wrapper, control].
export function field(label, control, help) {
  const id = newId("f");
  control.id = id;
  const wrap = h("div", { class: "field" }, h("label", { for: id, text: label }));
  if (help) {
    // Read out with the field, not only seen above it.
    const helpId = `${id}-help`;
    wrap.append(h("p", { class: "help", id: helpId, text: help }));
    control.setAttribute("aria-describedby", helpId);
  }
  wrap.append(control);
  return [wrap, control];
}

// The server has what these boxes hold: nothing to offer back if the round moves on
// (markUnsent in panels.js).
export function markSaved(...boxes) {
  for (const box of boxes) delete box.dataset.unsent;
}

export function errorSlot() {
  return h("p", { class: "error live-error", role: "alert", hidden: true });
}

export function showError(slot, message) {
  if (!slot) return;
  slot.textContent = message || "";
  slot.hidden = !message;
}

// A box the server refused what was in: outlined (room.css) and given the cursor back.
export function markInvalid(control) {
  control.setAttribute("aria-invalid", "true");
  control.focus();
}

export const clearInvalid = (control) => control.removeAttribute("aria-invalid");

export function refocus(container, key) {
  if (!key) return;
  const el = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (el) el.focus();
}
