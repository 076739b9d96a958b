from django.conf import settings


def site(request):
    return {"outbox_page": settings.REVANS_OUTBOX_PAGE}
