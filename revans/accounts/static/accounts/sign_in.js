// Carry the address typed on the sign-in page to "Email me a sign-in link", so nobody
// types it twice. Without this script the link still works (it carries what the page knew).
const field = document.getElementById("id_username");
const link = document.getElementById("sign-in-link-request");
if (field && link) {
  field.addEventListener("input", () => {
    const url = new URL(link.href);
    const email = field.value.trim();
    if (email) {
      url.searchParams.set("email", email);
    } else {
      url.searchParams.delete("email");
    }
    link.href = url.pathname + url.search;
  });
}
