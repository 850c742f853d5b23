"""The machine's ceiling: a trivial Django view (a fixed 30-row HTML page, no database, no
middleware) served by the same gunicorn as the portal. Every page is reported as a share of
its throughput."""

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-ceiling-only",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
    )

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

ROWS = "".join(f"<tr><td>Område {i}</td><td>{i}</td></tr>" for i in range(30))
PAGE = f"<!DOCTYPE html><html lang='da'><title>Loft</title><table>{ROWS}</table></html>"


def ceiling(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", ceiling)]
application = get_wsgi_application()
