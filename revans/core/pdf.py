"""HTML to PDF with WeasyPrint, from the same templates as the pages (a programme's report,
a set's released report). Nothing is fetched from outside: every URL the HTML names is
resolved from our own static files or refused, so a PDF never tells another site who is
reading what."""

from __future__ import annotations

import functools
import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.templatetags.static import static


def static_file_for(url: str) -> str | None:
    """The file on disk behind one of our static URLs, absolute or not; None for any other."""
    prefix = static("")
    path = "/" + url.split("://", 1)[-1].split("/", 1)[-1] if "://" in url else url
    if not path.startswith(prefix):
        return None
    try:
        return finders.find(path.removeprefix(prefix))
    except SuspiciousFileOperation:  # "../" out of the static folders
        return None


@functools.cache
def _local_only_fetcher_class():
    # Imported here: WeasyPrint loads Pango at import, which only PDFs need.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = static_file_for(url)
            if not found:
                # WeasyPrint leaves the resource out and carries on.
                raise ValueError(f"refused to fetch {url}")
            # WeasyPrint reads a stylesheet only when it is served as text/css.
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=Path(found).read_bytes(), headers={"Content-Type": kind}
            )

    return LocalOnlyFetcher


def html_to_pdf(html: str, request=None) -> bytes:
    """`request` gives relative URLs (our static files) a base to resolve from."""
    from weasyprint import HTML

    base_url = request.build_absolute_uri("/") if request is not None else None
    return HTML(
        string=html, base_url=base_url, url_fetcher=_local_only_fetcher_class()()
    ).write_pdf()
