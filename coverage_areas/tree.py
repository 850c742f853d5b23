"""Every planning area with its parents and sub-areas, from one query: the region has about
40 areas, so pages load them all once and answer the questions in Python, and a page's query
count does not grow with the data."""

from __future__ import annotations

from collections import defaultdict

from common.text import danish_key, fold
from coverage_areas.models import PlanningArea


class AreaTree:
    def __init__(self, areas: list[PlanningArea]) -> None:
        self.by_id = {area.pk: area for area in areas}
        self.by_slug = {area.slug: area for area in areas}
        self.children: dict[int | None, list[PlanningArea]] = defaultdict(list)
        for area in sorted(areas, key=lambda a: danish_key(a.name)):
            self.children[area.parent_id].append(area)
            # Hand each area its parent already loaded, so that PlanningArea.lineage() (the one
            # rule for "the areas a designation of which covers this one") costs no query.
            parent = self.by_id.get(area.parent_id)
            if parent is not None:
                PlanningArea.parent.field.set_cached_value(area, parent)

    @classmethod
    def load(cls) -> AreaTree:
        return cls(list(PlanningArea.objects.all()))

    def all(self) -> list[PlanningArea]:
        return sorted(self.by_id.values(), key=lambda a: danish_key(a.name))

    def parent(self, area: PlanningArea) -> PlanningArea | None:
        return self.by_id.get(area.parent_id) if area.parent_id else None

    def with_descendants(self, area: PlanningArea) -> list[PlanningArea]:
        found: list[PlanningArea] = []
        todo = [area]
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.append(current)
            todo.extend(self.children.get(current.pk, []))
        return found

    def search(self, text: str) -> list[PlanningArea]:
        """Areas whose name, slug or municipality contains the text, case-insensitively for
        æ/ø/å too (in Python, because SQLite's LIKE folds only ASCII)."""
        needle = fold(text)
        return [
            a
            for a in self.all()
            if needle in fold(a.name) or needle in a.slug or needle in fold(a.municipality)
        ]


def matching_area_ids(text: str) -> list[int]:
    """The areas a staff search term names (AreaTree.search), for a primary-key filter."""
    return [area.pk for area in AreaTree.load().search(text)]
