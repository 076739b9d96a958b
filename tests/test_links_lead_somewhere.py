"""Every link a persona is shown leads to a page they may open.

Each signed-in persona follows the links on the pages they can reach, from their home page,
and none may end on "not found": a page that offers a link its reader cannot follow (a tab
for a page they may not see) is a dead end and tells them something about the set.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from revans.testing import PERSONAS, sign_in_as

MAX_PAGES = 150
# Not pages: signing out ends the walk; downloads and the live room are tested on their own.
SKIP = ("/sign-out", "/static/", "/live/", "/ws/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(page: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urlsplit(urljoin(f"http://testserver{page}", href))
        if url.netloc == "testserver" and not url.path.startswith(SKIP):
            found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_every_link_a_persona_is_shown_leads_somewhere(client, world, persona):
    sign_in_as(client, world, persona)
    queue, seen, dead = ["/"], set(), []
    referrer: dict[str, str] = {}  # where each link was first seen, for the message
    while queue and len(seen) < MAX_PAGES:
        page = queue.pop(0)
        if page in seen:
            continue
        seen.add(page)
        response = client.get(page)
        if response.status_code == 404:
            dead.append((page, referrer.get(page)))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(page, response.content.decode()):
            if link not in seen:
                referrer.setdefault(link, page)
                queue.append(link)
    assert not dead, f"{persona} is shown links to pages they cannot open: {dead}"
    assert len(seen) > 3
