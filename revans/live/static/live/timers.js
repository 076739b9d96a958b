// Timers count down from the server's deadline, corrected by the server clock offset: nothing
// ticks over the socket. One minute left and time's up are announced once per deadline.

import { clock } from "./dom.js";
import { S, T, announce, now, root, stage } from "./state.js";

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

export function tick() {
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
    // Over time a turn says so, as the round's timer does; "-2:10 left" would read as a typo.
    el.textContent = leftTurn > 0 ? `${clock(leftTurn)} ${T.turn_left}` : `${T.turn_up} (${clock(leftTurn)})`;
    el.dataset.state = leftTurn <= 0 ? "up" : leftTurn <= 60 ? "warning" : "running";
  }
}
