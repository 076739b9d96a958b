// The shared screen's "Fill the screen" button: the browser's own full-screen mode, for a
// projector in a room. Offered only where the browser allows it; the label follows the state
// however it changes (the button, Esc, or the browser's own controls).

const button = document.getElementById("live-full-screen");

function follow() {
  const full = Boolean(document.fullscreenElement);
  button.textContent = full ? button.dataset.leave : button.dataset.enter;
}

if (button && document.fullscreenEnabled) {
  button.closest(".live-full-screen").hidden = false;
  button.addEventListener("click", () => {
    const done = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
    done.catch(() => {}); // refused (no user gesture, a policy): the page simply stays as it is
  });
  document.addEventListener("fullscreenchange", follow);
  follow();
}
