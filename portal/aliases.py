"""Other spellings of an area's address: people type "brondby" or "hoje-taastrup" for the
canonical "broendby" and "hoeje-taastrup". Only consulted when a slug is unknown."""

from __future__ import annotations

from itertools import product

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.text import slugify

from coverage_areas.models import PlanningArea
from coverage_areas.tree import AreaTree

_SPELLINGS = {"æ": ("ae", "a", "e"), "ø": ("oe", "o"), "å": ("aa", "a")}


def spellings(name: str) -> set[str]:
    lowered = name.lower()
    letters = [c for c in _SPELLINGS if c in lowered]
    found = set()
    for choice in product(*(_SPELLINGS[c] for c in letters)):
        text = lowered
        for letter, replacement in zip(letters, choice, strict=True):
            text = text.replace(letter, replacement)
        found.add(slugify(text))
    return found


def area_for_alias(tree: AreaTree, slug: str) -> PlanningArea | None:
    wanted = slug.lower()
    if wanted in tree.by_slug:
        return tree.by_slug[wanted]
    for area in tree.all():
        if wanted in spellings(area.name):
            return area
    return None


def area_or_redirect(
    request: HttpRequest, tree: AreaTree, slug: str, url_name: str
) -> PlanningArea | HttpResponsePermanentRedirect | None:
    """The area at the address; for another spelling of it, a permanent redirect to the same
    page (query string kept) at its real address; None when no area has the address."""
    area = tree.by_slug.get(slug)
    if area is not None:
        return area
    canonical = area_for_alias(tree, slug)
    if canonical is None:
        return None
    url = reverse(url_name, args=[canonical.slug])
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(url)
