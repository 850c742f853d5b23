"""The planning areas' map shapes, prepared by `manage.py build_area_shapes` (coverage_areas.
geobuild) and read here without any GIS library: SVG path data in whole units of
`unit_metres`, north up, with each area's box [x, y, width, height] and the map's."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GEODATA = Path(__file__).resolve().parent / "geodata"
TABLE = GEODATA / "areas.csv"
SHAPES = GEODATA / "shapes.json"

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Shape:
    slug: str
    name: str
    box: Box
    label: tuple[int, int]  # where the name fits best
    path: str


@dataclass(frozen=True)
class Shapes:
    source: str
    unit_metres: int
    viewbox: Box
    frames: tuple[Box, ...]  # insets drawn beside the rest (Bornholm)
    areas: dict[str, Shape]


@cache
def load_shapes() -> Shapes:
    data = json.loads(SHAPES.read_text(encoding="utf-8"))
    return Shapes(
        source=data["source"],
        unit_metres=data["unit_metres"],
        viewbox=tuple(data["viewbox"]),
        frames=tuple(tuple(f) for f in data["frames"]),
        areas={
            slug: Shape(
                slug=slug,
                name=a["name"],
                box=tuple(a["box"]),
                label=tuple(a["label"]),
                path=a["path"],
            )
            for slug, a in data["areas"].items()
        },
    )
