"""Danish-aware text helpers, one of each for the whole portal: the slug rule, case folding for
matching, alphabetical order, lists in prose, how shares and months are written, and the one
rule for the characters that staff text may hold and every writer may print."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

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


# Line breaks in their many spellings: Word's Shift+Enter pastes a vertical tab (\x0b), a page
# break a form feed (\x0c); Windows and old Macs end lines with \r\n and \r; NEL (\x85) and
# the Unicode line and paragraph separators come from other programs.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# What no writer can carry: the other C0 and C1 control characters (XML 1.0, which Atom, DOCX
# and XLSX are made of, refuses C0 outright; iCalendar refuses both), DEL, lone surrogates
# (not encodable as UTF-8, so no database, file or response can hold them) and the two
# non-characters XML 1.0 refuses. Tab and newline stay.
_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """The one rule for text that staff type and that the portal writes out: line breaks
    become `\\n`, tab stays, and other control characters are dropped.

    Services, admin forms and commands store text through it, so a remark pasted from Word
    reads as the editor saw it; every writer (Atom, iCalendar, DOCX, XLSX, PDF, CSV, JSON)
    passes what it prints through it too, so text stored before this rule existed still
    renders instead of failing the page or the memo for every date it was in force."""
    if not isinstance(text, str) or text.isprintable():
        return text
    return _UNPRINTABLE.sub("", _LINE_BREAKS.sub("\n", text))


def clean_data(value: Any) -> Any:
    """`clean_text` applied to every string inside a value built of dataclasses, lists,
    tuples and dicts (a memo, a row): what a writer calls once on what it is given."""
    if isinstance(value, str):
        return clean_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: clean_data(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, list | tuple):
        cleaned = [clean_data(item) for item in value]
        if hasattr(value, "_fields"):  # a named tuple
            return type(value)(*cleaned)
        return type(value)(cleaned)
    if isinstance(value, dict):
        return {key: clean_data(item) for key, item in value.items()}
    return value


def clean_text_fields(instance: Any) -> None:
    """`clean_text` applied to every free-text field (CharField, TextField) of a model
    instance before it is saved: how services hold to the rule whatever field they fill."""
    from django.db import models

    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, clean_text(value))


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
