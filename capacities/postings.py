"""Postings as doctors meet them: how to apply for one, and each posting's life read from the
transition log, so that a posting keeps its page after it closes (granted or withdrawn) and a
capacity posted again later is a new posting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from capacities.models import Action, CapacityState, PostingChannel, Status, Transition
from coverage_areas.models import RegionProfile

APPLICATION_FIELDS = (
    "application_contact",
    "application_email",
    "application_phone",
    "application_url",
    "application_procedure",
)
# The steps after which a capacity is publicly posted: each opens a posting.
OPENING_ACTIONS = (Action.POST, Action.LAPSE_GRANT)


def clean_application(values: dict[str, str]) -> dict[str, str]:
    """A posting's own way to apply, trimmed and checked; ValidationError per field."""
    cleaned = {name: (values.get(name) or "").strip() for name in APPLICATION_FIELDS}
    errors: dict[str, list[str]] = {}
    limits = {"application_contact": 200, "application_phone": 40, "application_url": 500}
    for name, limit in limits.items():
        if len(cleaned[name]) > limit:
            errors[name] = [_("At most %(limit)d characters.") % {"limit": limit}]
    checks = {
        "application_email": (EmailValidator(), _("Enter a valid e-mail address.")),
        "application_url": (
            URLValidator(schemes=["https", "http"]),
            _("Enter a full web address, starting with https://."),
        ),
    }
    for name, (validator, message) in checks.items():
        if cleaned[name] and name not in errors:
            try:
                validator(cleaned[name])
            except ValidationError:
                errors[name] = [message]
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_channel_ids(ids: Iterable[int | str]) -> list[int]:
    """Channels chosen from the region's list: each must be on it and in use."""
    try:
        wanted = sorted({int(i) for i in ids})
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Choose channels from the region's list.")) from error
    found = set(
        PostingChannel.objects.filter(pk__in=wanted, active=True).values_list("pk", flat=True)
    )
    if found != set(wanted):
        raise ValidationError(_("Choose channels from the region's list (in use)."))
    return wanted


@dataclass(frozen=True)
class HowToApply:
    contact: str
    email: str
    phone: str
    url: str
    procedure: str
    own: bool  # the posting's own details, not the region's default

    @property
    def empty(self) -> bool:
        return not any((self.contact, self.email, self.phone, self.url, self.procedure))


def how_to_apply(state: CapacityState, region: RegionProfile, language: str) -> HowToApply:
    """The posting's own way to apply when it gives one, else the region's default as a whole
    (never a mix of the two)."""
    if any(getattr(state, name) for name in APPLICATION_FIELDS):
        return HowToApply(
            contact=state.application_contact,
            email=state.application_email,
            phone=state.application_phone,
            url=state.application_url,
            procedure=state.application_procedure,
            own=True,
        )
    return HowToApply(
        contact=region.application_contact or region.unit or region.name,
        email=region.application_email or region.email,
        phone=region.application_phone or region.phone,
        url=region.application_url,
        procedure=region.procedure_for(language),
        own=False,
    )


def channel_names(ids: Sequence[int], language: str) -> list[tuple[str, str]]:
    """(name, address) of the chosen channels, in the region's order (one query)."""
    channels = PostingChannel.objects.filter(pk__in=list(ids))
    return [(c.name_for(language), c.url) for c in channels]


@dataclass(frozen=True)
class Posting:
    """One posting of a capacity: the step that opened it (whose state copy holds what was
    posted), and the step that closed it, if any."""

    opened: Transition
    closed: Transition | None

    @property
    def pk(self) -> int:
        return self.opened.pk

    @property
    def capacity_id(self) -> int:
        return self.opened.capacity_id

    @property
    def is_open(self) -> bool:
        return self.closed is None

    @property
    def outcome(self) -> str:
        """ "open", "granted", "withdrawn", or "closed" (another step ended it)."""
        if self.closed is None:
            return "open"
        if self.closed.action == Action.GRANT:
            return "granted"
        if self.closed.action == Action.WITHDRAW_POSTING:
            return "withdrawn"
        return "closed"

    @property
    def ended_on(self) -> dt.date | None:
        return self.closed.effective_date if self.closed else None


def postings_of(capacity_id: int) -> list[Posting]:
    """Every posting of the capacity, oldest first, from its log (one query)."""
    if not 0 < capacity_id < 2**63:
        return []  # not an id any database holds (an absurd number in an address)
    steps = list(
        Transition.objects.filter(capacity_id=capacity_id)
        .select_related("capacity", "area__parent")
        .order_by("effective_date", "id")
    )
    postings = []
    for index, step in enumerate(steps):
        if step.action in OPENING_ACTIONS and step.status == Status.POSTED:
            following = steps[index + 1] if index + 1 < len(steps) else None
            postings.append(Posting(opened=step, closed=following))
    return postings
