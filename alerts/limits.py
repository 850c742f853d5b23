"""What keeps the subscribe form from flooding mailboxes.

Someone could ask for confirmation mails to a victim's address over and over, varying it
(`victim+1@…`, `"victim"@…`, `VICTIM@…`) to get past the one-mail-per-address cooldown, or use
the portal's mail server against addresses inside the network (`victim@localhost`). So:

- an address must be at a public domain: not a single label (`localhost`), not an IP address,
  not a name reserved for private or test use (`.local`, `.internal`, `.test`, ...);
- confirmation mails are limited per client address per hour, and per mailbox per day, where
  the mailbox is the address with its +tag, quotes and case folded away.

Each request is recorded (`ConfirmationRequest`, the client and mailbox as keyed hashes, not
the address itself) and the records older than a day are purged with the unconfirmed requests
(`purge_alert_requests`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CLIENT_WINDOW = dt.timedelta(hours=1)
MAILBOX_WINDOW = dt.timedelta(days=1)

# Top-level names that never reach the public internet (RFC 2606, RFC 6761, RFC 6762, ICANN's
# .internal, and the home-network names routers hand out).
PRIVATE_SUFFIXES = (
    "localhost",
    "local",
    "localdomain",
    "internal",
    "intranet",
    "lan",
    "home",
    "corp",
    "private",
    "test",
    "example",
    "invalid",
    "onion",
    "arpa",
)


def mailbox_key(email: str) -> str:
    """The mailbox an address delivers to, as far as the form can tell: `Victim+7@Example.DK`,
    `"victim"@example.dk` and `victim@example.dk.` are one mailbox."""
    local, _sep, domain = email.strip().rpartition("@")
    local = local.strip('"').split("+", 1)[0].casefold()
    domain = domain.strip().rstrip(".").casefold()
    return f"{local}@{domain}"


def public_domain_error(email: str):
    """Why the address is not at a public domain, or None."""
    domain = email.rpartition("@")[2].strip().rstrip(".").casefold()
    if domain.startswith("[") or _is_ip(domain):
        return _("Use an address at a domain name, not an IP address.")
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1] in PRIVATE_SUFFIXES or not labels[-1].isalpha():
        return _("Use an address at a public domain, such as name@example.dk.")
    return None


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def keyed(value: str) -> str:
    """A keyed hash, so that the log of requests holds no address (mail or IP) in clear."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def client_over_limit(client: str, now: dt.datetime | None = None) -> bool:
    from alerts.models import ConfirmationRequest

    now = now or timezone.now()
    recent = ConfirmationRequest.objects.filter(
        client=keyed(client), requested_at__gt=now - CLIENT_WINDOW
    )
    return recent.count() >= settings.ALERT_REQUESTS_PER_CLIENT_PER_HOUR


def mailbox_over_limit(email: str, now: dt.datetime | None = None) -> bool:
    from alerts.models import ConfirmationRequest

    now = now or timezone.now()
    recent = ConfirmationRequest.objects.filter(
        mailbox=keyed(mailbox_key(email)), requested_at__gt=now - MAILBOX_WINDOW
    )
    return recent.count() >= settings.ALERT_REQUESTS_PER_MAILBOX_PER_DAY


def record(client: str, email: str) -> None:
    from alerts.models import ConfirmationRequest

    ConfirmationRequest.objects.create(client=keyed(client), mailbox=keyed(mailbox_key(email)))
