// The live meeting room (and the shared-screen view): draws everything from the server's
// snapshot and events (whole state: replace or upsert), sends acts with request ids, and shows
// a refusal only next to the control that caused it. Text is always set with textContent:
// nothing anyone types is ever parsed as HTML.

const root = document.getElementById("live-room");
const T = JSON.parse(document.getElementById("live-strings").textContent);
const announcer = document.getElementById("live-announcer");
const connection = document.getElementById("live-connection");
const PROJECTOR = root.dataset.mode === "projector";

const S = {
  snap: null,
  lastSeq: 0,
  offset: 0, // server clock minus ours, in ms
  ws: null,
  attempt: 0,
  nextId: 1,
  pending: new Map(),
  warned: new Set(),
  chime: false,
  panel: null,
  panelKey: null,
  refreshTimer: null,
};

// --- small helpers ---------------------------------------------------------------------------

function fmt(text, params) {
  return String(text).replace(/%\((\w+)\)s/g, (_, key) => (key in params ? String(params[key]) : ""));
}

function h(tag, attrs = {}, ...children) {
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
function keepRows(list, items, keyOf, make, fill) {
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
const newId = (stem) => `live-${stem}-${++uid}`;

function announce(text) {
  announcer.textContent = "";
  window.setTimeout(() => {
    announcer.textContent = text;
  }, 60);
}

const now = () => Date.now() + S.offset;
const people = () => new Map((S.snap?.people || []).map((p) => [p.id, p]));
const nameOf = (id) => people().get(id)?.name || "";
const you = () => S.snap.you;
const stage = () => S.snap.stage;
const facilitates = () => stage().facilitation_holder_id === you().id;
const holderId = () => {
  const slot = stage().issue_slot;
  return slot ? stage().issue_holder_ids[String(slot)] : null;
};

function clock(seconds) {
  const sign = seconds < 0 ? "-" : "";
  const s = Math.abs(Math.round(seconds));
  return `${sign}${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// A labelled field: returns [wrapper, control].
function field(label, control, help) {
  const id = newId("f");
  control.id = id;
  const wrap = h("div", { class: "field" }, h("label", { for: id, text: label }));
  if (help) wrap.append(h("p", { class: "help", text: help }));
  wrap.append(control);
  return [wrap, control];
}

function errorSlot() {
  return h("p", { class: "error live-error", role: "alert", hidden: true });
}

function showError(slot, message) {
  if (!slot) return;
  slot.textContent = message || "";
  slot.hidden = !message;
}

// --- the socket ------------------------------------------------------------------------------

function setConnection(text, state) {
  connection.textContent = text;
  connection.dataset.state = state;
}

function connect() {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${window.location.host}${root.dataset.socket}`);
  S.ws = ws;
  ws.addEventListener("open", () => {
    S.attempt = 0;
    setConnection(T.connected, "connected");
  });
  ws.addEventListener("message", (event) => receive(JSON.parse(event.data)));
  ws.addEventListener("close", () => {
    S.ws = null;
    for (const entry of S.pending.values()) showError(entry.error, T.reconnecting);
    S.pending.clear();
    // Exponential backoff with a little jitter, so a restarted server is not stampeded.
    // Waiting for the room to open: try more often, so members arrive soon after it does.
    const cap = S.snap ? 30000 : 10000;
    const delay = Math.min(cap, 1000 * 2 ** S.attempt) * (0.8 + Math.random() * 0.4);
    S.attempt += 1;
    setConnection(S.snap ? T.reconnecting : T.not_available, "reconnecting");
    window.setTimeout(connect, delay);
  });
}

function sendRaw(message) {
  if (S.ws && S.ws.readyState === WebSocket.OPEN) {
    S.ws.send(JSON.stringify(message));
    return true;
  }
  return false;
}

function act(message, { error = null, ok = null, fail = null, button = null } = {}) {
  const id = `r${S.nextId++}`;
  showError(error, "");
  if (!sendRaw({ type: "act", id, message })) {
    showError(error, T.reconnecting);
    return;
  }
  if (button) button.disabled = true;
  S.pending.set(id, { error, ok, fail, button });
}

function versioned(message) {
  return { ...message, expected_version: stage().version };
}

function receive(message) {
  if (message.type === "snapshot") {
    const first = !S.snap;
    const before = S.snap ? { ...S.snap.stage } : null;
    const known = new Set((S.snap?.contributions || []).map((c) => c.id));
    S.snap = message.snapshot;
    // After a reconnect the snapshot may carry questions no event announced here.
    if (!first) announceNewQuestions(S.snap.contributions.filter((c) => !known.has(c.id)));
    S.lastSeq = message.snapshot.last_seq;
    S.offset = Date.parse(message.snapshot.server_now) - Date.now();
    if (!first) noticeStageChange(before);
    render();
  } else if (message.type === "events") {
    if (!S.snap) return;
    const events = message.events || [];
    if (events.length && events[0].seq > S.lastSeq + 1) sendRaw({ type: "since", seq: S.lastSeq });
    for (const event of events) {
      if (event.seq <= S.lastSeq) continue;
      apply(event);
      S.lastSeq = event.seq;
    }
    S.lastSeq = Math.max(S.lastSeq, message.last_seq || 0);
    render();
  } else if (message.type === "result") {
    const entry = S.pending.get(message.id);
    S.pending.delete(message.id);
    if (!entry) return;
    if (entry.button) entry.button.disabled = false;
    if (message.ok) {
      if (S.snap && message.version > S.snap.stage.version) S.snap.stage.version = message.version;
      showError(entry.error, "");
      if (entry.ok) entry.ok(message);
    } else {
      if (message.code === "stale") sendRaw({ type: "snapshot" });
      if (!entry.fail || entry.fail(message) !== true) showError(entry.error, message.message);
    }
  } else if (message.type === "pong") {
    S.offset = Date.parse(message.server_now) - Date.now();
  }
}

function upsert(list, item, key) {
  const index = list.findIndex((x) => key(x) === key(item));
  if (index >= 0) list[index] = item;
  else list.push(item);
}

function refreshSoon() {
  // Suggested order and airtime come with snapshots only.
  window.clearTimeout(S.refreshTimer);
  S.refreshTimer = window.setTimeout(() => sendRaw({ type: "snapshot" }), 400);
}

function apply(event) {
  const snap = S.snap;
  const p = event.payload;
  switch (event.type) {
    case "stage": {
      const before = { ...snap.stage };
      snap.stage = p;
      snap.version = p.version;
      noticeStageChange(before);
      if (before.position !== p.position || before.status !== p.status) refreshSoon();
      break;
    }
    case "agenda":
      snap.agenda = p.agenda;
      snap.balance = p.balance;
      break;
    case "turns":
      upsert(snap.turns, p, (t) => t.position);
      break;
    case "bid":
      upsert(snap.bids, p, (b) => b.id);
      refreshSoon();
      break;
    case "bid_withdrawn":
      snap.bids = snap.bids.filter((b) => b.id !== p.id);
      refreshSoon();
      break;
    case "bids":
      snap.bids = p.bids;
      break;
    case "contribution": {
      const known = snap.contributions.some((c) => c.id === p.id);
      upsert(snap.contributions, p, (c) => c.id);
      if (!known) announceNewQuestions([p]);
      break;
    }
    case "presence":
      upsert(snap.presence, p, (x) => x.user.id);
      break;
    case "commitment_review":
      upsert(snap.commitment_reviews, p, (x) => x.member.id);
      break;
    case "commitment":
      if (!snap.commitments) snap.commitments = [];
      upsert(snap.commitments, p, (x) => x.id);
      break;
    case "ratings":
      snap.ratings = p;
      break;
    default:
      break;
  }
}

function announceNewQuestions(contributions) {
  const fresh = contributions.filter((c) => c.kind === "question" && c.author?.id !== S.snap.you.id);
  if (fresh.length) announce(fmt(T.new_question, { name: fresh[fresh.length - 1].author?.name || "" }));
}

function noticeStageChange(before) {
  const after = S.snap.stage;
  if (!before) return;
  if (after.status === "ended" && before.status !== "ended") announce(T.ended);
  else if (after.position !== before.position || after.status !== before.status) {
    if (after.round_name) announce(fmt(T.round_changed, { round: after.round_name }));
  }
  if (after.paused && !before.paused) {
    announce(fmt(T.paused_announce, { question: after.pause_question }));
  } else if (!after.paused && before.paused && after.status === "running") announce(T.resumed);
}

// --- timers ----------------------------------------------------------------------------------

function remainingSeconds() {
  const st = stage();
  if (st.status !== "running") return null;
  if (st.paused) return st.remaining_seconds_at_pause;
  if (!st.deadline) return null;
  return (Date.parse(st.deadline) - now()) / 1000;
}

let audio = null;
function chime() {
  if (!S.chime) return;
  try {
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 660;
    gain.gain.setValueAtTime(0.0001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.05);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 1.2);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 1.3);
  } catch (_) {
    // No sound is fine: the words on screen say it too.
  }
}

function tick() {
  if (!S.snap) return;
  const timer = root.querySelector("[data-role=timer]");
  const left = remainingSeconds();
  if (timer) {
    const box = timer.closest(".live-timer");
    if (left === null) {
      timer.textContent = "";
      box.dataset.state = "idle";
    } else {
      const up = left <= 0;
      timer.textContent = up ? `${T.times_up} (${clock(left)})` : clock(left);
      box.dataset.state = stage().paused ? "paused" : up ? "up" : left <= 60 ? "warning" : "running";
      const key = `${stage().position}|${stage().deadline}`;
      if (!stage().paused && left <= 60 && left > 0 && !S.warned.has(`w${key}`)) {
        S.warned.add(`w${key}`);
        announce(T.one_minute);
      }
      if (!stage().paused && up && !S.warned.has(`u${key}`) && left > -5) {
        S.warned.add(`u${key}`);
        announce(T.times_up);
        chime();
      }
    }
  }
  for (const el of root.querySelectorAll("[data-turn-started]")) {
    const started = Date.parse(el.dataset.turnStarted);
    const until = stage().paused && stage().paused_at ? Date.parse(stage().paused_at) : now();
    const leftTurn = Number(el.dataset.turnSeconds) - (until - started) / 1000;
    el.textContent = `${clock(leftTurn)} ${T.turn_left}`;
    el.dataset.state = leftTurn <= 0 ? "up" : leftTurn <= 60 ? "warning" : "running";
  }
}

// --- the page --------------------------------------------------------------------------------

const parts = {};

function build() {
  parts.pause = h("section", { class: "live-pause", "aria-labelledby": "live-pause-heading", hidden: true },
    h("h2", { id: "live-pause-heading", text: T.paused }),
    h("p", { class: "live-pause-question", "data-role": "pause-question" }),
    h("p", { class: "meta", text: T.paused_timer }));
  parts.stage = h("section", { class: "live-stage card", "aria-labelledby": "live-round-heading" });
  parts.confirm = h("div", { class: "live-confirm notice", hidden: true });
  parts.controls = PROJECTOR ? null : buildControls();
  parts.panel = h("section", { class: "live-panel card", "aria-labelledby": "live-round-heading" });
  parts.agenda = h("nav", { class: "live-agenda card", "aria-labelledby": "live-agenda-heading" });
  parts.people = h("section", { class: "live-people card", "aria-labelledby": "live-people-heading" });
  // Focusable: on narrow columns the table scrolls sideways, and keyboards must reach it.
  parts.airtime = h("section", { class: "live-airtime card", "aria-labelledby": "live-airtime-heading", tabindex: "0", hidden: true });
  const layout = h("div", { class: "live-layout" },
    // The round itself first; the facilitator's controls after it.
    h("div", { class: "live-main" }, parts.stage, parts.confirm, parts.panel, parts.controls),
    h("div", { class: "live-side" }, parts.agenda, parts.people, parts.airtime));
  root.append(parts.pause, layout);
}

function buildControls() {
  const box = h("section", { class: "live-controls card", "aria-labelledby": "live-controls-heading", hidden: true });
  const error = errorSlot();
  const btn = (text, onclick, cls) => h("button", { type: "button", class: cls || "", onclick, text });
  parts.startBtn = btn(T.start, () => act(versioned({ action: "advance" }), { error, button: parts.startBtn }));
  parts.nextBtn = btn(T.next, () => advance(false, error));
  parts.backBtn = btn(T.back, () => act(versioned({ action: "go_back" }), { error, button: parts.backBtn }), "secondary");
  const minutes = h("input", { type: "number", min: "1", max: "60", value: "2", inputmode: "numeric", class: "live-small" });
  const [extendField] = field(T.extend_minutes, minutes);
  parts.extendBtn = btn(T.extend, () => act({ action: "extend_timer", minutes: Number(minutes.value) }, { error }), "secondary");
  const question = h("input", { type: "text", maxlength: "300", list: "live-coach-questions" });
  const [questionField] = field(T.coach_question, question, T.coach_questions);
  parts.coachList = h("datalist", { id: "live-coach-questions" });
  parts.coachButtons = h("ul", { class: "plain live-coach-list" });
  parts.pauseBtn = btn(T.pause, () => act({ action: "pause", question: question.value }, { error, ok: () => { question.value = ""; } }));
  parts.resumeBtn = btn(T.resume, () => act({ action: "resume" }, { error }));
  parts.pauseQuestion = question;
  parts.handTo = h("select", {});
  const [handField] = field(T.hand_over_to, parts.handTo);
  const handBtn = btn(T.hand_over, () => act({ action: "hand_over_facilitation", user_id: Number(parts.handTo.value) }, { error }), "secondary");
  parts.endBtn = btn(T.end, () => {
    if (window.confirm(T.end_confirm)) act(versioned({ action: "end_meeting" }), { error });
  }, "danger");
  parts.controlsError = error;
  box.append(
    h("h2", { id: "live-controls-heading", class: "card-title", text: T.facilitation }),
    h("div", { class: "row" }, parts.startBtn, parts.nextBtn, parts.backBtn),
    error,
    h("div", { class: "live-control-group" }, extendField, parts.extendBtn),
    h("div", { class: "live-control-group" }, questionField, parts.coachList, parts.coachButtons, h("div", { class: "row" }, parts.pauseBtn, parts.resumeBtn)),
    h("div", { class: "live-control-group" }, handField, handBtn),
    h("div", { class: "row" }, parts.endBtn));
  return box;
}

function advance(confirm, error) {
  act(versioned({ action: "advance", confirm }), {
    error,
    button: parts.nextBtn,
    ok: () => {
      parts.confirm.hidden = true;
    },
    fail: (result) => {
      if (result.code !== "needs_confirmation") return false;
      const yes = h("button", { type: "button", text: T.move_on_anyway, onclick: () => advance(true, error) });
      const no = h("button", { type: "button", class: "secondary", text: T.not_yet, onclick: () => {
        parts.confirm.hidden = true;
        parts.nextBtn.focus();
      } });
      parts.confirm.replaceChildren(h("p", { text: result.message }), h("div", { class: "row" }, yes, no));
      parts.confirm.hidden = false;
      yes.focus();
      return true;
    },
  });
}

function render() {
  if (!S.snap) return;
  if (!parts.stage) {
    build();
    document.getElementById("live-not-open")?.remove();
  }
  const st = stage();
  root.dataset.status = st.status;
  root.dataset.paused = st.paused ? "true" : "false";
  parts.pause.hidden = !st.paused;
  parts.pause.querySelector("[data-role=pause-question]").textContent = st.pause_question;
  renderStage();
  if (!PROJECTOR) renderControls();
  renderAgenda();
  renderPeople();
  renderAirtime();
  renderPanel();
  tick();
}

function currentIssueTitle() {
  const holder = holderId();
  if (!holder) return "";
  const bid = S.snap.bids.find((b) => b.user && b.user.id === holder && b.chosen_slot);
  return bid ? bid.title : "";
}

function currentSpeaker() {
  const turns = S.snap.turns.find((t) => t.position === stage().position);
  const running = turns?.turns.find((t) => t.started_at && !t.done_at);
  if (running) return nameOf(running.user_id);
  if (stage().round === 4 || stage().round === 7) return nameOf(holderId());
  return "";
}

function renderStage() {
  const st = stage();
  let title = st.round_name || (st.status === "ended" ? T.ended : T.not_started);
  const chimeId = "live-chime";
  const children = [h("h2", { id: "live-round-heading", class: "live-round", text: title })];
  if (st.status === "running") {
    children.push(h("div", { class: "live-timer", "data-state": "idle" },
      h("span", { class: "visually-hidden", text: `${T.time_left}: ` }),
      h("span", { class: "live-timer-value", "data-role": "timer", role: "timer", "aria-live": "off" })));
  }
  if (st.status === "ended") {
    children.push(h("p", {}, h("a", { class: "button", href: root.dataset.summaryUrl, text: T.read_summary })));
  }
  if (PROJECTOR) {
    const speaker = currentSpeaker();
    if (speaker) children.push(h("p", { class: "live-projector-line" }, h("span", { class: "meta", text: `${T.whose_turn}: ` }), speaker));
    const issue = currentIssueTitle();
    if (issue) children.push(h("p", { class: "live-projector-line" }, h("span", { class: "meta", text: `${T.issue}: ` }), issue));
  } else if (st.status === "running") {
    const box = h("input", { type: "checkbox", id: chimeId, checked: S.chime, onchange: (e) => { S.chime = e.target.checked; } });
    children.push(h("div", { class: "field-checkbox live-chime" }, box, " ", h("label", { for: chimeId, text: T.chime })));
  }
  const keep = document.activeElement?.id === chimeId;
  parts.stage.replaceChildren(...children);
  if (keep) document.getElementById(chimeId)?.focus();
}

function renderControls() {
  const st = stage();
  const mine = facilitates();
  parts.controls.hidden = !mine || st.status === "ended";
  if (!mine) return;
  const running = st.status === "running";
  parts.startBtn.hidden = st.status !== "not_started";
  parts.nextBtn.hidden = !running;
  parts.backBtn.hidden = !running;
  // Timers and pauses only mean something once the meeting runs: before that, hide them
  // rather than offer controls that can only be refused.
  const group = (el) => el.closest(".live-control-group") || el.parentElement;
  group(parts.extendBtn).hidden = !running;
  group(parts.pauseBtn).hidden = !running;
  parts.pauseBtn.hidden = !running || st.paused;
  parts.resumeBtn.hidden = !st.paused;
  if (!parts.coachList.childElementCount) {
    for (const q of S.snap.coach_questions) {
      parts.coachList.append(h("option", { value: q }));
      parts.coachButtons.append(h("li", {}, h("button", { type: "button", class: "link-button", text: q, onclick: () => {
        parts.pauseQuestion.value = q;
        parts.pauseQuestion.focus();
      } })));
    }
  }
  const chosen = parts.handTo.value;
  parts.handTo.replaceChildren(...S.snap.people.filter((p) => p.id !== st.facilitation_holder_id)
    .map((p) => h("option", { value: p.id, text: p.name })));
  if (chosen) parts.handTo.value = chosen;
}

function renderAgenda() {
  const st = stage();
  const list = h("ol", { class: "live-steps" });
  for (const item of S.snap.agenda) {
    const current = st.status === "running" && item.position === st.position;
    const done = st.status === "ended" || (st.status === "running" && item.position < st.position);
    const label = item.issue_slot && S.snap.agenda.some((i) => i.issue_slot === 2)
      ? `${item.round_name} (${item.issue_slot})` : item.round_name;
    list.append(h("li", { class: `live-step${current ? " is-current" : ""}${done ? " is-done" : ""}`, "aria-current": current ? "step" : null },
      h("span", { class: "live-step-name", text: label }),
      h("span", { class: "meta", text: fmt(T.minutes, { n: item.minutes }) })));
  }
  const children = [h("h2", { id: "live-agenda-heading", class: "card-title", text: T.agenda }), list];
  if (!PROJECTOR && facilitates()) {
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

function buildTimesEditor() {
  const st = stage();
  const details = h("details", { class: "live-times" }, h("summary", { text: T.change_times }));
  const error = errorSlot();
  for (const item of S.snap.agenda) {
    if (st.status === "running" && item.position < st.position) continue;
    const input = h("input", { type: "number", min: "1", max: "240", value: item.minutes, class: "live-small", "data-key": `min-${item.position}` });
    const [wrap] = field(fmt(T.minutes_for, { round: item.round_name }), input);
    const save = h("button", { type: "button", class: "secondary", text: T.save, "data-key": `save-${item.position}`,
      "aria-label": `${T.save}: ${item.round_name}`,
      onclick: () => act({ action: "set_round_minutes", position: item.position, minutes: Number(input.value) }, { error }) });
    details.append(h("div", { class: "row live-time-row" }, wrap, save));
  }
  details.append(error);
  return details;
}

function refocus(container, key) {
  if (!key) return;
  const el = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (el) el.focus();
}

function renderPeople() {
  const present = new Map(S.snap.presence.map((p) => [p.user.id, p.connected]));
  const list = h("ul", { class: "plain live-people-list" });
  for (const person of S.snap.people) {
    const here = present.get(person.id) === true;
    const tags = [];
    if (person.role === "facilitator") tags.push(T.facilitator);
    if (person.id === stage().facilitation_holder_id) tags.push(T.facilitating);
    list.append(h("li", { class: here ? "is-here" : "is-away", "data-person": person.id },
      h("span", { class: "live-dot", "aria-hidden": "true" }), person.name,
      h("span", { class: "meta", text: ` (${[here ? T.here : T.away, ...tags].join(", ")})` })));
  }
  parts.people.replaceChildren(h("h2", { id: "live-people-heading", class: "card-title", text: T.people }), list);
}

function renderAirtime() {
  const air = S.snap.airtime;
  parts.airtime.hidden = PROJECTOR || !air || !facilitates();
  if (parts.airtime.hidden) return;
  const [m, turns, spoken, questions, programme] = T.airtime_cols;
  const table = h("table", { class: "stack-on-phone live-airtime-table" },
    h("thead", {}, h("tr", {}, ...[m, turns, spoken, questions, programme].map((c) => h("th", { scope: "col", text: c })))));
  const body = h("tbody");
  for (const person of S.snap.people.filter((p) => p.role === "member")) {
    const row = air.meeting[String(person.id)] || {};
    const prog = air.programme[String(person.id)] || {};
    body.append(h("tr", {},
      h("td", { "data-label": m, text: person.name }),
      h("td", { "data-label": turns, text: row.turns ?? 0 }),
      h("td", { "data-label": spoken, text: clock(row.spoken_seconds || 0) }),
      h("td", { "data-label": questions, text: row.questions ?? 0 }),
      h("td", { "data-label": programme, text: clock(prog.airtime_seconds || 0) })));
  }
  table.append(body);
  parts.airtime.replaceChildren(h("h2", { id: "live-airtime-heading", class: "card-title", text: T.airtime }), table);
}

// --- round panels ----------------------------------------------------------------------------

function renderPanel() {
  const st = stage();
  const key = `${st.status}|${st.position}|${facilitates()}|${holderId()}`;
  if (key !== S.panelKey) {
    S.panelKey = key;
    S.panel = PROJECTOR ? projectorPanel() : panelFor(st);
    parts.panel.replaceChildren(S.panel.el);
    parts.panel.hidden = Boolean(S.panel.el.hidden);
  }
  const focusKey = document.activeElement?.dataset?.key;
  S.panel.update();
  refocus(parts.panel, focusKey);
}

function panelFor(st) {
  // Before the start the stage heading already says so; the panel stays empty.
  if (st.status !== "running") return { el: h("p", { class: "lead", text: st.status === "ended" ? T.ended : "", hidden: st.status !== "ended" }), update() {} };
  const round = st.round;
  if (round === 1 || round === 2 || round === 6) return turnsPanel(round);
  if (round === 3) return biddingPanel();
  if (round === 4) return presentingPanel();
  if (round === 5) return questioningPanel();
  if (round === 7) return actionsPanel();
  return reviewPanel();
}

function projectorPanel() {
  const list = h("ul", { class: "plain live-projector-list" });
  return {
    el: h("div", {}, list),
    update() {
      const items = S.snap.contributions.filter((c) => c.position === stage().position && ["question", "action"].includes(c.kind));
      list.replaceChildren(...items.slice(-6).map((c) => h("li", { class: "live-text", text: c.text })));
    },
  };
}

function textForm({ label, button, action, extra = () => ({}), rows = 3, help = null, secondary = null }) {
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

function turnsPanel(round) {
  const list = h("ol", { class: "live-turns" });
  const mineBox = h("div", {});
  const facBox = h("div", { class: "row" });
  const error = errorSlot();
  const extra = h("div", {});
  const el = h("div", {}, h("h3", { text: T.turn_order }), list, error, mineBox, facBox, extra);
  if (facilitates()) {
    const nextTurn = h("button", { type: "button", text: T.start_next_turn });
    nextTurn.addEventListener("click", () => act(versioned({ action: "start_next_turn" }), { error, button: nextTurn }));
    const shuffle = h("button", { type: "button", class: "secondary", text: T.shuffle, onclick: () => act({ action: "shuffle_turns", position: stage().position }, { error }) });
    facBox.append(nextTurn, shuffle);
  }
  let reviewList = null;
  if (round === 2) {
    reviewList = h("ul", { class: "plain live-reviews" });
    extra.append(h("h3", { text: T.reviews }), reviewList);
    if (you().is_coach === false || S.snap.people.some((p) => p.id === you().id && p.role === "member")) {
      // A member with commitments to review says how each went; one without, how things went.
      const mine = ownCommitments();
      if (mine.length) extra.append(...mine.map((c) => commitmentReviewForm(c)));
      else extra.append(reviewForm());
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
  return {
    el,
    update() {
      const turns = S.snap.turns.find((t) => t.position === stage().position);
      const rows = turns ? turns.turns : [];
      const waiting = rows.filter((t) => !t.started_at && !t.done_at).map((t) => t.user_id);
      const reviews = new Map(S.snap.commitment_reviews.map((r) => [r.member.id, r]));
      list.replaceChildren(...rows.map((t) => {
        const speaking = t.started_at && !t.done_at;
        const status = t.done_at ? T.done : speaking ? T.speaking : T.waiting;
        const li = h("li", { class: `live-turn${speaking ? " is-speaking" : ""}${t.done_at ? " is-done" : ""}`, "aria-current": speaking ? "true" : null },
          h("span", { class: "live-turn-name", text: nameOf(t.user_id) }), h("span", { class: "badge", text: status }));
        if (speaking && !stage().paused) li.append(h("span", { class: "live-turn-timer", "data-turn-started": t.started_at, "data-turn-seconds": turns.turn_seconds }));
        if (round === 2 && reviews.has(t.user_id)) {
          const r = reviews.get(t.user_id);
          li.append(h("span", { class: "meta live-review", text: ` ${T.outcomes[r.outcome] || r.outcome}${r.learning ? `: ${r.learning}` : ""}` }));
        }
        const theirs = round === 2 ? commitmentList(t.user_id) : null;
        if (theirs) li.append(theirs);
        const index = waiting.indexOf(t.user_id);
        if (facilitates() && index >= 0) {
          const move = (delta) => {
            const order = [...waiting];
            const [id] = order.splice(index, 1);
            order.splice(index + delta, 0, id);
            act({ action: "reorder_turns", user_ids: order, position: stage().position }, { error });
          };
          const name = nameOf(t.user_id);
          li.append(h("span", { class: "row live-move" },
            h("button", { type: "button", class: "secondary live-small-button", "data-key": `up-${t.user_id}`, disabled: index === 0, "aria-label": fmt(T.move_up, { name }), text: "↑", onclick: () => move(-1) }),
            h("button", { type: "button", class: "secondary live-small-button", "data-key": `down-${t.user_id}`, disabled: index === waiting.length - 1, "aria-label": fmt(T.move_down, { name }), text: "↓", onclick: () => move(1) })));
        }
        if (facilitates() && !t.done_at && t.user_id !== you().id) {
          li.append(h("button", { type: "button", class: "link-button", "data-key": `done-${t.user_id}`, text: fmt(T.mark_done_for, { name: nameOf(t.user_id) }), onclick: () => act({ action: "mark_turn_done", user_id: t.user_id }, { error }) }));
        }
        return li;
      }));
      const mine = rows.find((t) => t.user_id === you().id);
      mineBox.replaceChildren();
      if (mine && !mine.done_at) {
        mineBox.append(h("button", { type: "button", "data-key": "i-am-done", text: T.i_am_done, onclick: () => act({ action: "mark_turn_done" }, { error }) }));
      }
      if (reviewList) {
        reviewList.replaceChildren(...S.snap.commitment_reviews.map((r) => h("li", {}, h("strong", { text: r.member.name }), `: ${T.outcomes[r.outcome] || r.outcome}`, r.learning ? ` · ${r.learning}` : "")));
      }
      if (shared) {
        const items = S.snap.contributions.filter((c) => c.position === stage().position && (c.kind === "learning" || c.kind === "feedback"));
        shared.replaceChildren(...items.map((c) => h("li", { class: "live-text" }, h("strong", { text: c.author.name }), `: ${c.text}`)));
      }
    },
  };
}

const commitmentsOf = (userId) => (S.snap.commitments || []).filter((c) => c.owner_id === userId);
const ownCommitments = () => commitmentsOf(you().id);

function commitmentLine(c) {
  const due = fmt(T.commitment_due, { date: new Date(`${c.due_on}T12:00:00`).toLocaleDateString("en-GB", { day: "numeric", month: "long" }) });
  const review = c.review ? `${T.reviewed}: ${T.outcomes[c.review.outcome] || c.review.outcome}${c.review.learning ? ` · ${c.review.learning}` : ""}` : T.not_reviewed;
  return [h("span", { class: "live-text", text: c.what }), h("span", { class: "meta", text: ` (${T.statuses[c.status] || c.status}, ${due}) ` }), h("span", { class: `meta live-commitment-review${c.review ? " is-reviewed" : ""}`, text: review })];
}

// Beside a member in round 2: their commitments since the last meeting, and how each went.
function commitmentList(userId) {
  const items = commitmentsOf(userId);
  if (!items.length) return null;
  return h("ul", { class: "live-commitments", "aria-label": fmt(T.commitments_of, { name: nameOf(userId) }) },
    ...items.map((c) => h("li", { "data-commitment": c.id }, ...commitmentLine(c))));
}

function commitmentReviewForm(c) {
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

function reviewForm() {
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

function biddingPanel() {
  const list = h("ul", { class: "plain live-bids" });
  const suggested = h("ol", { class: "live-suggested" });
  const chooseBox = h("fieldset", { class: "live-form", hidden: true });
  const chooseError = errorSlot();
  const el = h("div", {});
  const isMember = S.snap.people.some((p) => p.id === you().id && p.role === "member");
  if (isMember) {
    const title = h("input", { type: "text", maxlength: "120" });
    const detail = h("input", { type: "text", maxlength: "300" });
    const scale = () => h("select", {}, ...[1, 2, 3, 4, 5].map((n) => h("option", { value: n, text: n, selected: n === 3 })));
    const urgency = scale();
    const importance = scale();
    const minutes = h("input", { type: "number", min: "1", max: "120", value: "20", inputmode: "numeric", class: "live-small" });
    const error = errorSlot();
    const send = h("button", { type: "button", text: T.submit_bid });
    send.addEventListener("click", () => act({ action: "submit_bid", title: title.value, detail: detail.value, urgency: Number(urgency.value), importance: Number(importance.value), minutes_wanted: Number(minutes.value) }, { error, button: send }));
    const withdraw = h("button", { type: "button", class: "secondary", text: T.withdraw_bid, onclick: () => act({ action: "withdraw_bid" }, { error }) });
    el.append(h("fieldset", { class: "live-form" }, h("legend", { text: T.bid_heading }),
      field(T.bid_title, title)[0], field(T.bid_detail, detail)[0],
      h("div", { class: "row live-bid-numbers" }, field(T.urgency, urgency)[0], field(T.importance, importance)[0], field(T.minutes_wanted, minutes)[0]),
      error, h("div", { class: "form-actions" }, send, withdraw)));
  }
  el.append(h("h3", { text: T.bids }), list, h("h3", { text: T.suggested }), suggested, chooseBox);
  return {
    el,
    update() {
      const bids = S.snap.bids;
      list.replaceChildren(...(bids.length ? bids.map((b) => h("li", { class: "live-bid" },
        h("strong", { text: b.title }), " · ", b.user.name,
        b.chosen_slot ? h("span", { class: "badge badge-active", text: ` ${T.chosen}` }) : null,
        b.detail ? h("p", { class: "meta live-text", text: b.detail }) : null,
        h("p", { class: "meta", text: `${T.urgency}: ${b.urgency} · ${T.importance}: ${b.importance} · ${fmt(T.minutes, { n: b.minutes_wanted })}` }))) : [h("li", { class: "meta", text: T.no_bids })]));
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
        chooseBox.replaceChildren(h("legend", { text: T.choose_heading }), ...boxes, chooseError, h("div", { class: "form-actions" }, go));
      }
    },
  };
}

function privateNotes() {
  const list = h("ul", { class: "live-notes" });
  return {
    el: h("div", {}, h("h3", { text: T.your_private_notes }), list),
    update() {
      const notes = S.snap.contributions.filter((c) => c.kind === "private_note" && c.author.id === you().id);
      list.replaceChildren(...notes.map((c) => h("li", { class: "live-text", text: c.text })));
    },
  };
}

function presentingPanel() {
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

function questioningPanel() {
  const holder = holderId();
  const list = h("ol", { class: "live-questions" });
  const el = h("div", {});
  const target = h("select", {}, ...S.snap.people.filter((p) => p.id !== you().id).map((p) => h("option", { value: p.id, text: p.name, selected: p.id === holder })));
  const [targetField] = field(T.ask_to, target);
  const form = textForm({ label: T.your_question, button: T.ask, action: "post_question", extra: () => ({ addressed_to: Number(target.value) }) });
  el.append(h("h3", { text: T.ask_heading }), targetField, form.el, h("h3", { text: T.questions }), list);
  return {
    el,
    update() {
      const position = stage().position;
      const items = S.snap.contributions.filter((c) => c.position === position);
      const questions = items.filter((c) => c.kind === "question");
      keepRows(list, questions, (q) => q.id, questionRow, (row, q) => fillQuestionRow(row, q, items));
      if (!questions.length) list.append(h("li", { class: "meta", text: T.no_questions }));
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
  return h("details", { class: "live-answer-box" }, h("summary", { text: T.answer }), answer.el, marks, error);
}

function actionsPanel() {
  const holder = holderId();
  const list = h("ul", { class: "live-actions" });
  const el = h("div", {});
  if (holder === you().id) el.append(textForm({ label: T.your_action, button: T.add_action, action: "add_action", rows: 2 }).el);
  else el.append(h("p", { class: "live-banner", text: fmt(T.actions_by, { name: nameOf(holder) }) }));
  el.append(h("h3", { text: T.actions_heading }), list);
  return {
    el,
    update() {
      const actions = S.snap.contributions.filter((c) => c.kind === "action" && c.position === stage().position);
      list.replaceChildren(...(actions.length ? actions.map((c) => h("li", { class: "live-text", text: c.text })) : [h("li", { class: "meta", text: T.no_actions })]));
    },
  };
}

function reviewPanel() {
  const score = h("select", {}, ...Array.from({ length: 10 }, (_, i) => h("option", { value: i + 1, text: i + 1, selected: (S.snap.own_rating?.score || 7) === i + 1 })));
  const well = h("textarea", { rows: "2", maxlength: "500" });
  const diff = h("textarea", { rows: "2", maxlength: "500" });
  well.value = S.snap.own_rating?.went_well || "";
  diff.value = S.snap.own_rating?.do_differently || "";
  const error = errorSlot();
  const saved = h("p", { class: "meta", role: "status" });
  const send = h("button", { type: "button", text: T.send_rating });
  send.addEventListener("click", () => act({ action: "rate_process", score: Number(score.value), went_well: well.value, do_differently: diff.value }, { error, button: send, ok: () => { saved.textContent = T.saved; } }));
  const summary = h("p", { class: "meta" });
  const el = h("div", {},
    h("h3", { text: T.coach_questions }), h("ul", {}, ...S.snap.coach_questions.map((q) => h("li", { text: q }))),
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

// --- start -----------------------------------------------------------------------------------

setConnection(T.connecting, "connecting");
connect();
window.setInterval(tick, 250);
window.setInterval(() => sendRaw({ type: "ping" }), 25000);
