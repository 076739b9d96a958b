"""HTML to PDF with WeasyPrint, from the same templates as the page; nothing is fetched from
outside: every URL the HTML names is resolved from our own static files or refused."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def _local_only_fetcher(url: str, timeout: int = 10, ssl_context=None):
    from weasyprint.urls import default_url_fetcher

    prefix = static("")
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    found = (
        finders.find(("/" + path).removeprefix(prefix)) if ("/" + path).startswith(prefix) else None
    )
    if url.startswith("data:"):
        return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    if not found:
        raise ValueError(f"refused to fetch {url}")
    return {"file_obj": open(found, "rb"), "mime_type": None}


def html_to_pdf(html: str, request) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_local_only_fetcher
    ).write_pdf()
