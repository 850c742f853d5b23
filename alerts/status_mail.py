"""Mails about an area's status, besides postings, for subscribers who asked for them:

- when a list is decided (or a decided list changed) that adds or removes one of their areas,
  or an area one of theirs is part of (Brøndby's designation covers Brøndby Strand); the
  change is against the list before it (the year before for a regional list, the previous
  period for a national one; for an edit, the list as it was);
- in the autumn, a reminder that regional benefits must be applied for within the year the
  area is threatened, for their areas that are regionally threatened that year.

Both go through the mail queue (alerts.tasks); a unique record per subscriber and notice
makes each at-most-once."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from alerts.mail import Outcome, _message, open_connection, site_url
from alerts.models import StatusNotice, Subscription
from common.text import danish_key
from coverage_areas.models import DesignationKind, DesignationRound, PlanningArea
from coverage_areas.status import DESIGNATED, area_status, load_rounds
from coverage_areas.tree import AreaTree

log = logging.getLogger("alerts")


def on_list_decided(sender, *, round_id: int, joined, left, **kwargs) -> None:
    """Receiver of coverage_areas.signals.list_decided: queue the notices (never raises)."""
    from alerts.tasks import announce_list

    try:
        announce_list.enqueue(round_id, sorted(joined), sorted(left))
    except Exception:
        log.exception("list notices not queued", extra={"fields": {"round": round_id}})


def _previous(round_: DesignationRound, rounds: list[DesignationRound]) -> DesignationRound | None:
    decided = [
        r
        for r in rounds
        if r.kind == round_.kind
        and r.status == DesignationRound.Status.DECIDED
        and r.last_year < round_.first_year
    ]
    return max(decided, key=lambda r: r.first_year, default=None)


@dataclass
class ListChange:
    round: DesignationRound
    joined: list[PlanningArea] = field(default_factory=list)
    left: list[PlanningArea] = field(default_factory=list)

    @property
    def key(self) -> str:
        ids = sorted(d.area_id for d in self.round.designations.all())
        digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]
        return f"list:{self.round.pk}:{digest}"


def list_change(round_id: int, joined: list[int], left: list[int]) -> ListChange | None:
    """What the decision changed: against the previous list when the round was newly decided
    (`left` empty and `joined` its whole list), else the edit's own joined and left."""
    rounds = load_rounds()
    round_ = next((r for r in rounds if r.pk == round_id), None)
    if round_ is None or round_.status != DesignationRound.Status.DECIDED:
        return None
    tree = AreaTree.load()
    now = {d.area_id for d in round_.designations.all()}
    if not left and set(joined) == now:
        previous = _previous(round_, rounds)
        before = {d.area_id for d in previous.designations.all()} if previous else set()
        joined, left = sorted(now - before), sorted(before - now)

    def areas(ids):
        return sorted((tree.by_id[i] for i in ids if i in tree.by_id), key=lambda a: a.name)

    return ListChange(round=round_, joined=areas(joined), left=areas(left))


def _concerns(subscription: Subscription, changed: set[int]) -> list[PlanningArea]:
    """The subscription's areas whose status the change touches: an area changed itself, or an
    area it is part of did. A subscription to every area is touched by every change."""
    chosen = list(subscription.areas.all())
    if not chosen:
        return []
    return [a for a in chosen if {x.pk for x in a.lineage()} & changed]


def send_list_notices(round_id: int, joined: list[int], left: list[int]) -> Outcome:
    change = list_change(round_id, joined, left)
    if change is None or not (change.joined or change.left):
        return Outcome()
    changed = {a.pk for a in change.joined + change.left}
    subscribers = (
        Subscription.objects.confirmed()
        .filter(status_changes=True)
        .exclude(status_notices__key=change.key)
        .prefetch_related("areas__parent__parent")
        .order_by("pk")
    )
    notices = []
    for subscription in subscribers:
        concerns = _concerns(subscription, changed)
        if concerns or not subscription.areas.all():
            notices.append((subscription, {"change": change, "concerns": concerns}))
    return _send(notices, "list_decided", change.key)


def reminder_notices(on: dt.date) -> list[tuple[Subscription, dict]]:
    """For each subscriber who asked for the reminder: their areas regionally threatened on
    the date (every such area for a subscription to every area)."""
    tree = AreaTree.load()
    rounds = load_rounds()
    threatened = [
        area
        for area in tree.all()
        if area_status(rounds, area, on)[DesignationKind.REGIONAL].answer == DESIGNATED
    ]
    if not threatened:
        return []
    ids = {a.pk for a in threatened}
    notices = []
    subscribers = (
        Subscription.objects.confirmed()
        .filter(reminders=True)
        .exclude(status_notices__key=f"reminder:{on.year}")
        .prefetch_related("areas")
        .order_by("pk")
    )
    for subscription in subscribers:
        chosen = [a for a in subscription.areas.all() if a.pk in ids] or (
            [] if subscription.areas.all() else threatened
        )
        if chosen:
            areas = sorted(chosen, key=lambda a: danish_key(a.name))
            notices.append((subscription, {"areas": areas, "year": on.year}))
    return notices


def send_reminders(on: dt.date) -> Outcome:
    return _send(reminder_notices(on), "benefit_reminder", f"reminder:{on.year}")


def _send(notices: list[tuple[Subscription, dict]], template: str, key: str) -> Outcome:
    if not notices:
        return Outcome()
    base = site_url()
    connection = open_connection({"event": "status_notice_failed", "key": key})
    if connection is None:
        return Outcome(failed=len(notices))
    sent = failed = 0
    try:
        for subscription, context in notices:
            try:
                with transaction.atomic():
                    # The record first: a second run at the same time fails the constraint.
                    StatusNotice.objects.create(subscription=subscription, key=key)
                    with translation.override(subscription.language):
                        context = {
                            **context,
                            "threatened_url": base + reverse("portal:threatened_areas"),
                        }
                    _message(
                        subscription,
                        template,
                        context,
                        language=subscription.language,
                        base=base,
                        connection=connection,
                    ).send()
                sent += 1
            except IntegrityError:
                continue  # sent by another run
            except Exception:
                failed += 1
                log.exception(
                    "status notice failed",
                    extra={"fields": {"event": "status_notice_failed", "key": key}},
                )
    finally:
        try:
            connection.close()
        except Exception:
            log.warning("closing the mail connection failed", exc_info=True)
    return Outcome(sent=sent, failed=failed)
