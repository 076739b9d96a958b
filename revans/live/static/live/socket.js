// The socket: sends acts with request ids and applies the server's snapshot and events to S
// (whole state: replace or upsert). A refusal is shown only next to the control that caused it.

import { fmt, h, showError } from "./dom.js";
import { S, T, announce, connection, root, stage } from "./state.js";

// Set by the page: drawing lives there, and the socket must not import it back.
let redraw = () => {};

export function onChange(draw) {
  redraw = draw;
}

export function setConnection(text, state) {
  connection.textContent = text;
  connection.dataset.state = state;
}

export function connect() {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${window.location.host}${root.dataset.socket}`);
  S.ws = ws;
  ws.addEventListener("open", () => {
    setConnection(T.connected, "connected");
    // Connected again: a word about the dropped connection beside a control is out of date.
    for (const slot of S.offlineSlots) if ([T.reconnecting, T.not_sent].includes(slot.textContent)) showError(slot, "");
    S.offlineSlots.clear();
  });
  ws.addEventListener("message", (event) => {
    // Back for real once the server speaks (a proxy may open a socket the server refuses).
    S.attempt = 0;
    receive(JSON.parse(event.data));
  });
  ws.addEventListener("close", () => {
    S.ws = null;
    if (S.closed) {
      showClosed();
      return;
    }
    // Sent, but the answer was lost with the connection: the catch-up after reconnecting
    // shows whether it was done. The button works again meanwhile.
    for (const entry of S.pending.values()) {
      if (entry.button) entry.button.disabled = false;
      showOffline(entry.error, T.reconnecting);
    }
    S.pending.clear();
    // Exponential backoff with a little jitter, so a restarted server is not stampeded.
    // Waiting for the room to open: try more often, so members arrive soon after it does.
    const cap = S.snap ? 30000 : 10000;
    const delay = Math.min(cap, 1000 * 2 ** S.attempt) * (0.8 + Math.random() * 0.4);
    S.attempt += 1;
    setConnection(S.snap ? T.reconnecting : T.not_available, "reconnecting");
    // Refused again: if the door is shut for good (signed out, no longer in the set), say so
    // and stop, rather than "Reconnecting…" for ever.
    const check = S.attempt > 1 ? whyRefused() : Promise.resolve(null);
    check.then((gone) => {
      if (!gone) {
        window.setTimeout(connect, delay);
        return;
      }
      S.closed = gone.message;
      S.closedLink = gone.link;
      announce(gone.message);
      showClosed();
    });
  });
}

// The room's own page answers as the socket's door does: a redirect to sign in when signed
// out, 404 when this person may not see the meeting. Anything else (the room not open yet,
// the server down) is worth trying again.
async function whyRefused() {
  let answer;
  try {
    answer = await fetch(window.location.pathname, { redirect: "manual", credentials: "same-origin", cache: "no-store" });
  } catch (_) {
    return null;
  }
  if (answer.type === "opaqueredirect") return { message: T.signed_out_left, link: { url: root.dataset.signInUrl, text: T.sign_in_again } };
  if (answer.status === 404 || answer.status === 403) return { message: T.cannot_see, link: { url: root.dataset.homeUrl, text: T.go_home } };
  return null;
}

function showClosed() {
  setConnection(S.closed, "closed");
  if (document.getElementById("live-closed")) return;
  for (const el of root.children) el.hidden = true;
  root.append(h("section", { id: "live-closed", class: "card", role: "status" },
    h("p", { text: S.closed }),
    h("p", {}, h("a", { href: S.closedLink?.url || root.dataset.meetingUrl, text: S.closedLink?.text || T.back_to_meeting }))));
}

function showOffline(slot, message) {
  showError(slot, message);
  if (slot) S.offlineSlots.add(slot);
}

export function sendRaw(message) {
  if (S.ws && S.ws.readyState === WebSocket.OPEN) {
    S.ws.send(JSON.stringify(message));
    return true;
  }
  return false;
}

export function act(message, { error = null, ok = null, fail = null, button = null } = {}) {
  const id = `r${S.nextId++}`;
  showError(error, "");
  if (!sendRaw({ type: "act", id, message })) {
    showOffline(error, T.not_sent);
    return;
  }
  if (button) button.disabled = true;
  S.pending.set(id, { error, ok, fail, button });
}

export function versioned(message) {
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
    redraw();
  } else if (message.type === "events") {
    if (!S.snap) return;
    const events = message.events || [];
    // `after`: these are every event after that number this person may see (numbers between
    // are someone else's, such as a private note). Anything missed before it is asked for.
    const after = message.after ?? (events.length ? events[0].seq - 1 : S.lastSeq);
    if (after > S.lastSeq) sendRaw({ type: "since", seq: S.lastSeq });
    for (const event of events) {
      if (event.seq <= S.lastSeq) continue;
      apply(event);
      S.lastSeq = event.seq;
    }
    S.lastSeq = Math.max(S.lastSeq, message.last_seq || 0);
    redraw();
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
  } else if (message.type === "closed") {
    // The facilitator closed the room before the meeting started, or this browser signed
    // out: no coming back to it from here (the link says where to go instead).
    S.closed = message.message;
    S.closedLink = message.link || null;
    announce(message.message);
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
  // Suggested order and airtime are worked out on the server and come with snapshots only.
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
      // The facilitator's airtime balance counts turns and the time spoken in them.
      if (snap.airtime) refreshSoon();
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
      // ... and the questions each member asked.
      if (!known && p.kind === "question" && snap.airtime) refreshSoon();
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
