"""The area search: by the area's name, or by a postcode or a postcode's town name, which
answers with the planning areas the postcode lies in (coverage_areas.postcodes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from coverage_areas.models import PlanningArea
from coverage_areas.postcodes import Outside, Postcode, search
from coverage_areas.tree import AreaTree


@dataclass(frozen=True)
class ShareOf:
    area: PlanningArea
    share: float

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass(frozen=True)
class PostcodeAnswer:
    postcode: Postcode
    areas: list[ShareOf]

    @property
    def spans_several(self) -> bool:
        return len(self.areas) > 1


@dataclass
class AreaSearch:
    text: str
    postcodes: list[PostcodeAnswer] = field(default_factory=list)
    outside: list[Outside] = field(default_factory=list)
    areas: list[PlanningArea] = field(default_factory=list)


def shares_of(tree: AreaTree, postcode: Postcode) -> list[ShareOf]:
    """The postcode's areas as the portal knows them, largest share first."""
    return [
        ShareOf(area=tree.by_slug[a.slug], share=a.share)
        for a in postcode.areas
        if a.slug in tree.by_slug
    ]


def area_search(tree: AreaTree, text: str) -> AreaSearch:
    """Areas a postcode or town in the text lies in (most of the postcode first), then the
    areas whose name matches."""
    found = AreaSearch(text=text)
    for hit in search(text):
        if isinstance(hit, Outside):
            found.outside.append(hit)
            continue
        answer = PostcodeAnswer(postcode=hit, areas=shares_of(tree, hit))
        if answer.areas:
            found.postcodes.append(answer)
    seen: set[int] = set()
    for answer in found.postcodes:
        for share in answer.areas:
            if share.area.pk not in seen:
                seen.add(share.area.pk)
                found.areas.append(share.area)
    found.areas += [a for a in tree.search(text) if a.pk not in seen]
    return found
