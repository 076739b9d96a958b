"""PDFs are made from our own files only: a URL in the HTML never reaches another site."""

from __future__ import annotations

import logging
import socket

import pytest

from revans.core.pdf import html_to_pdf, static_file_for

OUTSIDE = """<html><head>
<link rel="stylesheet" href="https://fonts.example.net/css?family=Inter">
<style>@import url("http://cdn.example.org/print.css");
body { background: url("http://198.51.100.7/track.png?who=sponsor"); }</style>
</head><body><h1>Programme report</h1><img src="http://198.51.100.7/pixel.gif" alt=""></body></html>"""


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a connection is recorded and refused."""
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_a_pdf_fetches_nothing_its_html_names_outside(no_network, rf):
    for request in (None, rf.get("/")):
        pdf = html_to_pdf(OUTSIDE, request)
        assert pdf.startswith(b"%PDF")
    assert no_network == []


def test_a_pdf_still_uses_our_own_static_files(no_network, rf, caplog):
    """The same fetcher finds what Revans serves itself (its stylesheet), from disk, and
    WeasyPrint takes it as a stylesheet."""
    html = '<html><head><link rel="stylesheet" href="/static/revans/revans.css"></head><body>x</body></html>'
    assert html_to_pdf(html, rf.get("/")).startswith(b"%PDF")
    assert no_network == []
    # Read as a stylesheet: WeasyPrint refuses one of any other type with an error.
    errors = [r for r in caplog.records if r.name == "weasyprint" and r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == []
    assert static_file_for("http://testserver/static/revans/revans.css").endswith("revans.css")
    assert static_file_for("/static/revans/revans.css").endswith("revans.css")
    assert static_file_for("http://198.51.100.7/static/../../etc/passwd") is None
    assert static_file_for("http://198.51.100.7/pixel.gif") is None
