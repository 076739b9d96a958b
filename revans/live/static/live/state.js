// What every part of the room shares: the page's own elements and words (T, translated by the
// server), the state drawn from the server's snapshot and events (S), and who is who in it.

export const root = document.getElementById("live-room");
export const T = JSON.parse(document.getElementById("live-strings").textContent);
const announcer = document.getElementById("live-announcer");
export const connection = document.getElementById("live-connection");
export const PROJECTOR = root.dataset.mode === "projector";

export const S = {
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
  // Round times the facilitator has typed but not saved, by agenda position: the agenda is
  // redrawn on every event, and what they typed must survive it.
  timeDrafts: new Map(),
  // Error slots that speak of the lost connection, cleared once it is back.
  offlineSlots: new Set(),
  // Why this page left the meeting for good, and where to go instead (socket.js).
  closed: null,
  closedLink: null,
};

// The page's lasting elements, built once when the first snapshot arrives.
export const parts = {};

export function announce(text) {
  announcer.textContent = "";
  window.setTimeout(() => {
    announcer.textContent = text;
  }, 60);
}

export const now = () => Date.now() + S.offset;
const people = () => new Map((S.snap?.people || []).map((p) => [p.id, p]));
export const nameOf = (id) => people().get(id)?.name || "";
export const you = () => S.snap.you;
// Connected now, from any tab or device.
export const isHere = (id) => S.snap.presence.some((p) => p.user.id === id && p.connected);
// How someone not in the room is described: "sent apologies" where the facilitator knows it
// (only the facilitator's snapshot lists them: replies are theirs to read).
export const awayLabel = (id) => ((S.snap.apologies || []).includes(id) ? T.sent_apologies : T.away);
export const stage = () => S.snap.stage;
export const facilitates = () => stage().facilitation_holder_id === you().id;
export const holderId = () => {
  const slot = stage().issue_slot;
  return slot ? stage().issue_holder_ids[String(slot)] : null;
};
