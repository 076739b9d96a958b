// The live meeting room (and the shared-screen view): draws everything from the server's
// snapshot and events (whole state: replace or upsert), sends acts with request ids, and shows
// a refusal only next to the control that caused it. Text is always set with textContent:
// nothing anyone types is ever parsed as HTML.
//
// This file only starts the room; the parts it is made of are the modules it imports.

import { sendRaw, connect, onChange, setConnection } from "./socket.js";
import { T } from "./state.js";
import { render } from "./page.js";
import { tick } from "./timers.js";

onChange(render);
setConnection(T.connecting, "connecting");
connect();
window.setInterval(tick, 250);
window.setInterval(() => sendRaw({ type: "ping" }), 25000);
