"""Search that treats æ/ø/å like any other letter on every database.

SQLite's LIKE folds only ASCII letters, so `name__icontains="øster"` misses "Østerbro" there.
Planning areas are few (about 40), so they are matched in Python with `fold` and turned into
a primary-key filter; free text on many rows (grantees) is matched in the usual case variants.
"""

from __future__ import annotations

from django.db.models import Q

from common.text import fold
from coverage_areas.models import PlanningArea


def matching_area_ids(term: str) -> list[int]:
    wanted = fold(term)
    if not wanted:
        return []
    return [
        pk
        for pk, name, municipality in PlanningArea.objects.values_list("pk", "name", "municipality")
        if wanted in fold(name) or wanted in fold(municipality)
    ]


def text_contains(field: str, term: str) -> Q:
    """`field` contains `term` in any usual capitalisation (on PostgreSQL icontains suffices;
    on SQLite the variants cover Danish letters that icontains cannot fold)."""
    term = term.strip()
    variants = {term, term.lower(), term.upper(), term.title(), term.capitalize()}
    query = Q()
    for variant in sorted(variants):
        query |= Q(**{f"{field}__icontains": variant})
    return query
