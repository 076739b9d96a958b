"""The development outbox (emails written to files when no SMTP server is set) and a health check."""

from email import message_from_bytes, policy

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def outbox(request):
    # Only on when emails go to files (a local or demo run); never with a real SMTP server.
    if not settings.REVANS_OUTBOX_PAGE:
        raise Http404
    folder = settings.EMAIL_FILE_PATH
    messages = []
    if folder.exists():
        for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)[
            :20
        ]:
            # The file backend appends messages separated by a line of dashes.
            for chunk in reversed(path.read_bytes().split(b"-" * 79 + b"\n")):
                if not chunk.strip():
                    continue
                msg = message_from_bytes(chunk, policy=policy.default)
                body = msg.get_body(preferencelist=("plain",))
                messages.append(
                    {
                        "to": msg["To"],
                        "subject": msg["Subject"],
                        "date": msg["Date"],
                        "body": body.get_content() if body else "",
                    }
                )
    return render(request, "core/outbox.html", {"emails": messages[:50]})
