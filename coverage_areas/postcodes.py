"""Which planning areas a postcode lies in: the one lookup the area search and the open-data
API answer from. Reads the table `manage.py build_area_shapes` prepared (geodata/postcodes.json:
each postcode of the region with the share of its area in each planning area, largest first,
and the other postcodes of Denmark by name, to say when one lies outside the region)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from common.text import fold
from coverage_areas.shapes import GEODATA

POSTCODES = GEODATA / "postcodes.json"
CODE = re.compile(r"[0-9]{4}")
# "2300", "2300 København S", "DK-2300": the digits lead the text.
LEADING_CODE = re.compile(r"^(?:dk-?)?([0-9]{4})\b", re.IGNORECASE)
# Shorter town-name searches match only from the start of a name ("Hv" → Hvidovre), longer
# ones anywhere in it ("Lyngby" → Kongens Lyngby).
ANYWHERE_FROM = 3
OUTSIDE_SHOWN = 5


@dataclass(frozen=True)
class AreaShare:
    slug: str
    share: float


@dataclass(frozen=True)
class Postcode:
    """A postcode of the region. Central Copenhagen's postcodes form ranges in the source
    (1000-1499 København K): `first`-`last` is the range, `code` the one asked for (empty for
    a range found by its name)."""

    code: str
    first: str
    last: str
    name: str
    areas: tuple[AreaShare, ...]

    @property
    def spans_several(self) -> bool:
        return len(self.areas) > 1

    @property
    def label(self) -> str:
        return f"{self.code or f'{self.first}-{self.last}'} {self.name}"


@dataclass(frozen=True)
class Outside:
    """A Danish postcode outside the region."""

    code: str
    name: str


@dataclass(frozen=True)
class Table:
    inside: tuple[Postcode, ...]
    outside: dict[str, str]
    source: str


@cache
def table() -> Table:
    data = json.loads(POSTCODES.read_text(encoding="utf-8"))
    inside = tuple(
        Postcode(
            code=row["first"] if row["first"] == row["last"] else "",
            first=row["first"],
            last=row["last"],
            name=row["name"],
            areas=tuple(AreaShare(slug, share) for slug, share in row["areas"]),
        )
        for row in data["postcodes"]
    )
    outside: dict[str, str] = {}
    for code, name in data["outside"].items():
        first, _dash, last = code.partition("-")
        for number in range(int(first), int(last or first) + 1):
            outside[f"{number:04d}"] = name
    return Table(inside=inside, outside=outside, source=data["source"])


def is_postcode(text: str) -> bool:
    return bool(CODE.fullmatch(text))


def lookup(code: str) -> Postcode | Outside | None:
    """The region's postcode (with its areas), an Outside for a Danish postcode outside the
    region, or None for a number that is no postcode."""
    for postcode in table().inside:
        if postcode.first <= code <= postcode.last and len(code) == 4:
            return Postcode(
                code=code,
                first=postcode.first,
                last=postcode.last,
                name=postcode.name,
                areas=postcode.areas,
            )
    name = table().outside.get(code)
    return Outside(code=code, name=name) if name else None


def search(text: str) -> list[Postcode | Outside]:
    """Postcodes a search text names: by its leading four digits ("2300 København S"), else by
    town name ("Kastrup", "København" gives all of København K, V, Ø, ...), in postcode order.
    Only when no postcode of the region matches, the matching ones outside it (a few), so
    that the answer can say so."""
    text = text.strip()
    leading = LEADING_CODE.match(text)
    if leading:
        found = lookup(leading.group(1))
        return [found] if found else []
    needle = fold(text)
    if not needle:
        return []

    def matches(name: str) -> bool:
        folded = fold(name)
        return folded.startswith(needle) or (len(needle) >= ANYWHERE_FROM and needle in folded)

    inside: list[Postcode | Outside] = [p for p in table().inside if matches(p.name)]
    if inside:
        return inside
    first_code: dict[str, str] = {}
    for code, name in sorted(table().outside.items()):
        if matches(name):
            first_code.setdefault(name, code)
    return [Outside(code=c, name=n) for n, c in sorted(first_code.items(), key=lambda i: i[1])][
        :OUTSIDE_SHOWN
    ]


def postcodes_of(slug: str) -> list[Postcode]:
    """The postcodes that lie (at least partly) in the area, in postcode order."""
    return [p for p in table().inside if any(a.slug == slug for a in p.areas)]
