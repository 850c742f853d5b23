"""Danish-aware text helpers, one of each for the whole portal: the slug rule, case folding for
matching, alphabetical order, lists in prose, and how shares and months are written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.utils.text import slugify

# The Danish transliteration (æ→ae, ø→oe, å→aa): høje-taastrup → hoeje-taastrup.
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})

# Danish alphabetical order puts æ, ø, å after z, in that order (ä and ö sort with æ and ø).
_DANISH_ORDER = str.maketrans(
    {"æ": "z\x01", "ø": "z\x02", "å": "z\x03", "ä": "z\x01", "ö": "z\x02"}
)


def danish_slugify(name: str) -> str:
    return slugify(name.translate(_DANISH))


def fold(text: str) -> str:
    """Case-fold for matching that treats æ/ø/å like any other letter (on every database)."""
    return text.casefold().strip()


def danish_key(name: str) -> str:
    """Sort key for Danish alphabetical order: Ærø after Zealand, Ølstykke before Aabenraa's å."""
    return fold(name).translate(_DANISH_ORDER)


def sorted_names(names: Iterable[str]) -> list[str]:
    return sorted(names, key=danish_key)


def danish_separators(count: int) -> list[str]:
    """What follows each of `count` items in a Danish list: ", " between, " og " before the
    last, nothing after it (for templates that mark up each item)."""
    return [", "] * max(count - 2, 0) + [" og "] * (count >= 2) + [""] * (count >= 1)


def join_danish(items: Sequence[str]) -> str:
    """ "a", "a og b", "a, b og c"."""
    items = list(items)
    separators = danish_separators(len(items))
    return "".join(f"{item}{sep}" for item, sep in zip(items, separators, strict=True))


def share_of(part: int | None, whole: int | None) -> float | None:
    """part / whole; None when there is no whole to speak of (no capacities, no figures)."""
    if part is None or not whole:
        return None
    return part / whole


def percent(share: float | None) -> float | None:
    """A share as a percentage with one decimal, as the pages and exports write it."""
    return None if share is None else round(share * 100, 1)


def month_label(month: dt.date) -> str:
    """2024-10: how a month is written in tables, files and JSON."""
    return f"{month:%Y-%m}"


def text_contains(field: str, term: str) -> Q:
    """`field` contains `term` in any usual capitalisation. On PostgreSQL icontains suffices;
    SQLite's LIKE folds only ASCII letters, so the variants cover "øster" in "Østerbro"."""
    term = term.strip()
    variants = {term, term.lower(), term.upper(), term.title(), term.capitalize()}
    query = Q()
    for variant in sorted(variants):
        query |= Q(**{f"{field}__icontains": variant})
    return query


# Months as chart labels: three letters, the same length for every month. Django's Danish
# abbreviations mix "maj" with "sept." and its `M` capitalises them ("Sept", "Okt"), which a
# Danish page does not do.
SHORT_MONTHS = {
    "da": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def short_month(month: dt.date, language: str) -> str:
    """'sep 24' (Danish) or 'Sep 24' (English): a month on a chart's axis."""
    names = SHORT_MONTHS.get(language[:2], SHORT_MONTHS["en"])
    return f"{names[month.month - 1]} {month:%y}"
