"""What a browser test does again and again: sign in, and check a page as a person would meet it."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

PHONE = {"width": 360, "height": 780}
SERIOUS = {"serious", "critical"}

# Roles whose accessible name a person would tab to.
_FOCUSABLE_ROLES = (
    "link",
    "button",
    "textbox",
    "checkbox",
    "radio",
    "combobox",
    "spinbutton",
    "tab",
    "menuitem",
    "switch",
)


def sign_in_with_password(page: Page, base_url: str, email: str, password: str) -> None:
    """Sign in through the sign-in form; fails with the page's own error text if refused."""
    page.goto(f"{base_url}/sign-in/")
    form = page.locator("form").filter(has=page.locator('input[name="password"]'))
    form.locator('input[name="username"]').fill(email)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('[type="submit"]').first.click()
    if "/sign-in/" in page.url:
        errors = page.locator(".error, .form-errors, [role=alert]").all_inner_texts()
        raise AssertionError(f"sign-in as {email} was refused: {errors or page.url}")


def check_accessibility(page: Page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    if not violations:
        return
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    raise AssertionError("\n".join(lines))


_WIDEST_OFFENDER = """
(limit) => {
  let widest = null;
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right > limit + 0.5 && (!widest || right > widest.right)) {
      const id = el.id ? '#' + el.id : '';
      const classes = [...el.classList].map((c) => '.' + c).join('');
      const text = (el.innerText || el.value || '').trim().slice(0, 60);
      widest = {right: Math.round(right), element: el.tagName.toLowerCase() + id + classes, text};
    }
  }
  return widest;
}
"""


def assert_fits_phone(page: Page) -> None:
    """At 360 px wide (a small phone) nothing scrolls sideways. Leaves the page at phone size."""
    page.set_viewport_size(PHONE)
    page.reload()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= PHONE["width"]:
        return
    widest = page.evaluate(_WIDEST_OFFENDER, PHONE["width"])
    raise AssertionError(
        f"{page.url} is {scroll_width}px wide at {PHONE['width']}px; widest element: "
        f"{widest['element'] if widest else '?'} reaching {widest['right'] if widest else '?'}px"
        f" ({widest['text'] if widest else ''!r})"
    )


def named(page: Page, name: str) -> Locator:
    """Every control a person could know by this accessible name."""
    locator = page.get_by_label(name, exact=True)
    for role in _FOCUSABLE_ROLES:
        locator = locator.or_(page.get_by_role(role, name=name, exact=True))  # type: ignore[arg-type]
    return locator


def assert_keyboard_reachable(page: Page, name: str, max_tabs: int = 80) -> Locator:
    """Pressing Tab from the top of the page reaches the control called `name`; returns it."""
    target = named(page, name)
    assert target.count() > 0, f"nothing on {page.url} is called {name!r}"
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate("() => window.scrollTo(0, 0)")
    visited = []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if target.evaluate_all("(els) => els.includes(document.activeElement)"):
            return target
        label = page.evaluate(
            "() => { const el = document.activeElement;"
            " return el ? el.tagName.toLowerCase() + ':' + (el.innerText || el.name || el.id || '')"
            ".trim().slice(0, 30) : ''; }"
        )
        if visited and label == visited[0]:
            break  # focus went round the page without reaching it
        visited.append(label)
    raise AssertionError(f"Tab never reached {name!r} on {page.url}; focus went through: {visited}")
