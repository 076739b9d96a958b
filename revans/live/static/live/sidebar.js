// Around the round: the agenda (with the facilitator's round times) and who is here, in the
// side column, and the airtime table only the facilitator sees, under their controls.

import { errorSlot, field, fmt, h, refocus } from "./dom.js";
import { PROJECTOR, S, T, awayLabel, facilitates, isHere, nameOf, parts, root, stage } from "./state.js";
import { act } from "./socket.js";

export function renderAgenda() {
  const st = stage();
  const list = h("ol", { class: "live-steps" });
  for (const item of S.snap.agenda) {
    const current = st.status === "running" && item.position === st.position;
    const done = st.status === "ended" || (st.status === "running" && item.position < st.position);
    const label = itemLabel(item);
    list.append(h("li", { class: `live-step${current ? " is-current" : ""}${done ? " is-done" : ""}`, "aria-current": current ? "step" : null },
      h("span", { class: "live-step-name", text: label }),
      h("span", { class: "meta", text: fmt(T.minutes, { n: item.minutes }) })));
  }
  const children = [h("h2", { id: "live-agenda-heading", class: "card-title", text: T.agenda }), list];
  // Once the meeting has ended there is no time left to plan.
  if (!PROJECTOR && facilitates() && st.status !== "ended") {
    const balance = S.snap.balance;
    children.push(h("p", { class: balance.over_by ? "live-over error" : "meta", text: balance.message }));
    children.push(buildTimesEditor());
  }
  const open = parts.agenda.querySelector("details")?.open;
  const focusKey = document.activeElement?.dataset?.key;
  parts.agenda.replaceChildren(...children);
  if (open) parts.agenda.querySelector("details").open = true;
  refocus(parts.agenda, focusKey);
}

// With two issue holders, each of their rounds says whose it is once that is known.
function itemLabel(item) {
  if (!item.issue_slot || !S.snap.agenda.some((i) => i.issue_slot === 2)) return item.round_name;
  const holder = stage().issue_holder_ids[String(item.issue_slot)];
  return holder ? fmt(T.round_for, { round: item.round_name, name: nameOf(holder) }) : `${item.round_name} (${item.issue_slot})`;
}

function buildTimesEditor() {
  const st = stage();
  const details = h("details", { class: "live-times" }, h("summary", { text: T.change_times }));
  const error = errorSlot();
  for (const item of S.snap.agenda) {
    if (st.status === "running" && item.position < st.position) continue;
    const drafts = S.timeDrafts;
    const input = h("input", { type: "number", min: "1", max: "240", value: drafts.get(item.position) ?? item.minutes, class: "live-small", "data-key": `min-${item.position}` });
    input.addEventListener("input", () => drafts.set(item.position, input.value));
    const [wrap] = field(fmt(T.minutes_for, { round: itemLabel(item) }), input);
    const save = h("button", { type: "button", class: "secondary", text: T.save, "data-key": `save-${item.position}`,
      "aria-label": `${T.save}: ${itemLabel(item)}`,
      onclick: () => act({ action: "set_round_minutes", position: item.position, minutes: Number(input.value) }, { error, ok: () => drafts.delete(item.position) }) });
    // Enter saves, as it would in a form.
    input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); save.click(); } });
    details.append(h("div", { class: "row live-time-row" }, wrap, save));
  }
  details.append(error);
  // Changes here are for this meeting; the set's own times live on its settings.
  if (root.dataset.roundTimesUrl) {
    const fromHere = `${root.dataset.roundTimesUrl}?from=${encodeURIComponent(root.dataset.meetingId)}`;
    details.append(h("p", { class: "meta" }, h("a", { href: root.dataset.roundTimesUrl, text: T.set_round_times })),
      h("p", { class: "meta" }, h("a", { href: fromHere, text: T.keep_these_times })));
  }
  return details;
}

export function renderPeople() {
  const list = h("ul", { class: "plain live-people-list" });
  for (const person of S.snap.people) {
    const here = isHere(person.id);
    const tags = [];
    // "facilitating" only marks a member who holds the duty (a self-managed set, or after a
    // hand-over); the facilitator holding it is simply the facilitator.
    if (person.role === "facilitator") tags.push(T.facilitator);
    else if (person.id === stage().facilitation_holder_id) tags.push(T.facilitating);
    list.append(h("li", { class: here ? "is-here" : "is-away", "data-person": person.id },
      h("span", { class: "live-dot", "aria-hidden": "true" }), person.name,
      h("span", { class: "meta", text: ` (${[here ? T.here : awayLabel(person.id), ...tags].join(", ")})` })));
  }
  parts.people.replaceChildren(h("h2", { id: "live-people-heading", class: "card-title", text: T.people }), list);
}

// How long someone spoke, as the summary says it: "45 s", "4 min 05 s".
function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return fmt(T.seconds_only, { s });
  return fmt(T.minutes_and_seconds, { m: Math.floor(s / 60), s: String(s % 60).padStart(2, "0") });
}

export function renderAirtime() {
  const air = S.snap.airtime;
  parts.airtime.hidden = PROJECTOR || !air || !facilitates();
  if (parts.airtime.hidden) return;
  // Four columns: each member's row stays one line on a laptop.
  const [m, turns, questions, programme] = T.airtime_cols;
  const table = h("table", { class: "stack-on-phone live-airtime-table" },
    h("thead", {}, h("tr", {}, ...[m, turns, questions, programme].map((c) => h("th", { scope: "col", text: c })))));
  const body = h("tbody");
  for (const person of S.snap.people.filter((p) => p.role === "member")) {
    const row = air.meeting[String(person.id)] || {};
    const prog = air.programme[String(person.id)] || {};
    body.append(h("tr", {},
      h("td", { "data-label": m, text: person.name }),
      h("td", { "data-label": turns, text: `${row.turns ?? 0} (${duration(row.spoken_seconds || 0)})` }),
      h("td", { "data-label": questions, text: row.questions ?? 0 }),
      // Whole minutes over a programme: "74:05" read like a time of day.
      h("td", { "data-label": programme, text: fmt(T.minutes, { n: Math.round((prog.airtime_seconds || 0) / 60) }) })));
  }
  table.append(body);
  parts.airtime.replaceChildren(h("h2", { id: "live-airtime-heading", class: "card-title", text: T.airtime }), table,
    h("p", { class: "meta", text: T.airtime_note }));
}
