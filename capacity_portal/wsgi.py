import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity_portal.settings")
# Served pages wait for the database a few seconds at most, then answer 503 (README,
# "When the database is away"); commands such as migrate keep no limit unless set.
os.environ.setdefault("DATABASE_CONNECT_TIMEOUT", "3")
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "4")

django_application = get_wsgi_application()

# Cached public pages are answered before Django handles the request (portal/early.py).
from portal.early import EarlyPages  # noqa: E402  (it imports models: after set-up)

application = EarlyPages(django_application)
