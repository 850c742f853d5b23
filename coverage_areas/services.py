"""Writes to the designation register that others need to hear about."""

from __future__ import annotations

from django.db import transaction

from coverage_areas import signals
from coverage_areas.models import DesignationRound


def round_snapshot(round_: DesignationRound) -> tuple[str, frozenset[int]]:
    """What a round's announcement compares: its stored status and area ids (before an edit)."""
    if round_.pk is None:
        return DesignationRound.Status.ANNOUNCED, frozenset()
    stored = DesignationRound.objects.filter(pk=round_.pk).values_list("status", flat=True).first()
    areas = frozenset(round_.designations.values_list("area_id", flat=True))
    return stored or DesignationRound.Status.ANNOUNCED, areas


def announce_round_change(round_: DesignationRound, before: tuple[str, frozenset[int]]) -> None:
    """After staff saved a round (and its list): once committed, say so when the list is now
    decided and it was not before, or its areas changed while decided. Joined and left are
    against the round's own list before the edit; subscribers compare years themselves."""
    status, areas_before = before
    if round_.status != DesignationRound.Status.DECIDED:
        return
    areas_now = frozenset(round_.designations.values_list("area_id", flat=True))
    newly_decided = status != DesignationRound.Status.DECIDED
    if not newly_decided and areas_now == areas_before:
        return
    round_id = round_.pk
    joined = sorted(areas_now - areas_before) if not newly_decided else sorted(areas_now)
    left = sorted(areas_before - areas_now) if not newly_decided else []
    transaction.on_commit(
        lambda: signals.list_decided.send(
            sender=DesignationRound, round_id=round_id, joined=joined, left=left
        ),
        robust=True,
    )
