// An independent facilitator always facilitates: tick and fix the box while that kind is
// chosen. The server enforces it too; this only shows it before submitting.
const box = document.querySelector('input[name="facilitates"]');
const kinds = document.querySelectorAll('input[name="kind"]');

function sync() {
  const independent = document.querySelector('input[name="kind"][value="independent"]');
  const fixed = Boolean(independent && independent.checked);
  if (fixed) box.checked = true;
  box.disabled = fixed;
}

if (box) {
  kinds.forEach((radio) => radio.addEventListener("change", sync));
  sync();
}
