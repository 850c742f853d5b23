"""Build the planning areas' map shapes and the postcode table from Denmark's municipality and
postcode areas (TopoJSON), once, at development time: `manage.py build_area_shapes`.

Needs shapely and pyproj (development dependencies). Nothing the web process runs imports this
module: it reads the compact files written here (coverage_areas.shapes, coverage_areas.postcodes).

How an area's shape is formed (the table coverage_areas/geodata/areas.csv, one line per area):
- an area with postcodes is the part of its municipality inside those postcode areas
  (Copenhagen's districts, Brøndby Strand);
- an area without postcodes is what remains of its municipality (Brøndby without Brøndby Strand),
  so the areas never overlap and every point of the region lies in exactly one of them;
- where every area of a municipality names postcodes, a piece of the municipality in none of them
  (the source's postcode and municipal borders do not match exactly) goes to the area it shares
  the longest border with.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

SOURCE = (
    "Source: Geodatastyrelsen & Danske Kommuner, FOT data set, 2014-02-13, scale 1:500,000 "
    "(Danish public open data), as republished in the public repository Neogeografen/dagi."
)
MUNICIPALITIES = "kommuner.topojson"
POSTCODES = "postnumre.topojson"
SHAPES_FILE = "shapes.json"
POSTCODES_FILE = "postcodes.json"

# ETRS89 / UTM zone 32N: Denmark's map projection, in metres.
PROJECTION = "EPSG:25832"
# One SVG unit is 50 m; the source is drawn at 1:500,000, so finer detail would be invented.
UNIT_METRES = 50
# Simplification for the screen, in metres, applied to all shapes together so that neighbours
# keep a common border (no gaps, no overlaps).
SIMPLIFY_METRES = 120
# A postcode's share in an area below this is the two sources' borders not matching, not a
# real part: dropped, and the remaining shares scaled to sum to 1.
MIN_SHARE = 0.05
# Bornholm lies 150 km east of Zealand: drawn beside the rest, at the same scale, in a frame.
INSET_GAP_METRES = 6000
INSET_PADDING_METRES = 2500
# Islets under 1 km² (Hesselø, 30 km out in the Kattegat) are left off the screen map.
MIN_ISLET_M2 = 1_000_000


@dataclass(frozen=True)
class AreaRow:
    slug: str
    name: str
    municipality: str
    postcodes: tuple[str, ...]


def read_table(path: Path) -> list[AreaRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            AreaRow(
                slug=row["slug"].strip(),
                name=row["name"].strip(),
                municipality=row["municipality"].strip(),
                postcodes=tuple(row["postcodes"].split()),
            )
            for row in csv.DictReader(handle)
        ]


def read_topojson(path: Path) -> list[tuple[dict, MultiPolygon]]:
    """Each feature's properties and its shape in longitude/latitude."""
    data = json.loads(path.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    arcs = []
    for arc in data["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_rest in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    features = []
    for geometry in next(iter(data["objects"].values()))["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        shape = MultiPolygon(
            [Polygon(ring(rings[0]), [ring(hole) for hole in rings[1:]]) for rings in polygons]
        )
        features.append((geometry["properties"], shape))
    return features


def _projected(features, key: str) -> dict[str, BaseGeometry]:
    """Features grouped by a property (a municipality has several polygons), in metres."""
    to_metres = Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)
    grouped: dict[str, list[BaseGeometry]] = defaultdict(list)
    for properties, shape in features:
        projected = shapely.transform(shape, lambda xy: _apply(to_metres, xy))
        grouped[properties[key]].append(shapely.make_valid(projected))
    return {code: shapely.union_all(shapes) for code, shapes in grouped.items()}


def _apply(transformer: Transformer, xy):
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    xy = xy.copy()
    xy[:, 0], xy[:, 1] = x, y
    return xy


def _polygons(geometry: BaseGeometry) -> BaseGeometry:
    """Only the polygonal part (an overlay can leave stray lines and points)."""
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def area_shapes(
    table: list[AreaRow],
    municipalities: dict[str, BaseGeometry],
    postcodes: dict[str, BaseGeometry],
) -> dict[str, BaseGeometry]:
    """Each planning area's shape in metres, by slug (the rules in the module's docstring)."""
    shapes: dict[str, BaseGeometry] = {}
    by_municipality: dict[str, list[AreaRow]] = defaultdict(list)
    for row in table:
        by_municipality[row.municipality].append(row)
    for code, rows in by_municipality.items():
        whole = municipalities[code]
        remaining = whole
        for row in rows:
            if row.postcodes:
                inside = shapely.union_all([postcodes[p] for p in row.postcodes])
                shapes[row.slug] = _polygons(shapely.intersection(whole, inside))
                remaining = shapely.difference(remaining, shapes[row.slug])
        rest = [row for row in rows if not row.postcodes]
        if len(rest) > 1:
            raise ValueError(f"Municipality {code}: only one area may be without postcodes.")
        if rest:
            shapes[rest[0].slug] = _polygons(remaining)
            continue
        for piece in shapely.get_parts(_polygons(remaining)):
            slug = max(
                rows, key=lambda row: shapely.intersection(shapes[row.slug], piece.buffer(1)).area
            ).slug
            shapes[slug] = _polygons(shapely.union(shapes[slug], piece))
    return shapes


def postcode_table(
    shapes: dict[str, BaseGeometry], postcodes: dict[str, BaseGeometry], names: dict[str, str]
) -> tuple[list[dict], dict[str, str]]:
    """The postcodes inside the region with each area's share, and those outside it."""
    region = shapely.union_all(list(shapes.values()))
    inside, outside = [], {}
    for code in sorted(postcodes, key=lambda c: (int(c.split("-")[0]), c)):
        shape = postcodes[code]
        if shapely.intersection(shape, region).area / shape.area < MIN_SHARE:
            outside[code] = names[code]
            continue
        shares = {slug: shapely.intersection(shape, area).area for slug, area in shapes.items()}
        kept = {slug: s for slug, s in shares.items() if s / shape.area >= MIN_SHARE}
        total = sum(kept.values())
        areas = sorted(((slug, s / total) for slug, s in kept.items()), key=lambda a: (-a[1], a[0]))
        first, _dash, last = code.partition("-")
        inside.append(
            {
                "first": first,
                "last": last or first,
                "name": names[code],
                "areas": [[slug, round(share, 3)] for slug, share in areas],
            }
        )
    return inside, outside


def _bounds(geometries) -> tuple[float, float, float, float]:
    return shapely.total_bounds(list(geometries))


def _inset_offset(main: dict[str, BaseGeometry], inset: BaseGeometry) -> tuple[float, float]:
    """How far to move the inset so that it sits in the sea to the right of the rest, tops
    aligned: right of whatever the rest has at the inset's height."""
    minx, _miny, maxx, maxy = _bounds(main.values())
    iminx, iminy, _imaxx, imaxy = inset.bounds
    height = imaxy - iminy + 2 * INSET_PADDING_METRES
    band = shapely.box(minx, maxy - height, maxx, maxy)
    beside = shapely.intersection(shapely.union_all(list(main.values())), band).bounds[2]
    return beside + INSET_GAP_METRES + INSET_PADDING_METRES - iminx, maxy - imaxy


def _without_islets(geometry: BaseGeometry) -> BaseGeometry:
    """Drop islets too small to see on a screen map (and far-off ones that would widen it)."""
    parts = shapely.get_parts(geometry)
    kept = [p for p in parts if p.area >= MIN_ISLET_M2] or list(parts)
    return shapely.union_all(kept)


def _path(geometry: BaseGeometry, origin: tuple[float, float]) -> str:
    """SVG path data in whole units: an absolute move, then relative lines, per ring."""
    ox, oy = origin
    commands = []
    for polygon in shapely.get_parts(geometry):
        if polygon.is_empty:
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            points = []
            for x, y in ring.coords[:-1]:
                point = (round((x - ox) / UNIT_METRES), round((oy - y) / UNIT_METRES))
                if not points or point != points[-1]:
                    points.append(point)
            if len(points) < 3:
                continue
            (x0, y0), rest = points[0], points[1:]
            steps, (px, py) = [], (x0, y0)
            for x, y in rest:
                steps.append(f"{x - px} {y - py}")
                px, py = x, y
            commands.append(f"M{x0} {y0}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(commands)


def _label(geometry: BaseGeometry, origin: tuple[float, float]) -> list[int]:
    """Where a name fits best: the point farthest inside the largest part."""
    largest = max(shapely.get_parts(geometry), key=lambda part: part.area)
    point = polylabel(largest, tolerance=UNIT_METRES)
    return [round((point.x - origin[0]) / UNIT_METRES), round((origin[1] - point.y) / UNIT_METRES)]


def _box(bounds, origin) -> list[int]:
    minx, miny, maxx, maxy = bounds
    ox, oy = origin
    return [
        math.floor((minx - ox) / UNIT_METRES),
        math.floor((oy - maxy) / UNIT_METRES),
        math.ceil((maxx - minx) / UNIT_METRES),
        math.ceil((maxy - miny) / UNIT_METRES),
    ]


def screen_shapes(
    table: list[AreaRow], shapes: dict[str, BaseGeometry], inset_municipality: str = "0400"
) -> dict:
    """Simplified shapes as SVG path data, with each area's box and the whole map's."""
    slugs = [row.slug for row in table]
    simplified = shapely.coverage_simplify([shapes[s] for s in slugs], SIMPLIFY_METRES)
    placed = {s: _without_islets(g) for s, g in zip(slugs, simplified, strict=True)}
    inset = [row.slug for row in table if row.municipality == inset_municipality]
    frames = []
    if inset:
        main = {s: g for s, g in placed.items() if s not in inset}
        dx, dy = _inset_offset(main, shapely.union_all([placed[s] for s in inset]))
        for slug in inset:
            placed[slug] = shapely.transform(placed[slug], lambda xy: xy + np.array([dx, dy]))
        frame = shapely.box(*_bounds(placed[s] for s in inset)).buffer(
            INSET_PADDING_METRES, join_style="mitre"
        )
        frames.append(frame)
    minx, miny, maxx, maxy = _bounds([*placed.values(), *frames])
    origin = (minx, maxy)
    return {
        "source": SOURCE,
        "unit_metres": UNIT_METRES,
        "viewbox": _box((minx, miny, maxx, maxy), origin),
        "frames": [_box(frame.bounds, origin) for frame in frames],
        "areas": {
            row.slug: {
                "name": row.name,
                "box": _box(placed[row.slug].bounds, origin),
                "label": _label(placed[row.slug], origin),
                "path": _path(placed[row.slug], origin),
            }
            for row in table
        },
    }


def build(source: Path, table_path: Path) -> dict[str, str]:
    """The derived files' names and text, from the source folder and the area table."""
    table = read_table(table_path)
    municipality_features = read_topojson(source / MUNICIPALITIES)
    postcode_features = read_topojson(source / POSTCODES)
    municipalities = _projected(municipality_features, "KOMKODE")
    postcodes = _projected(postcode_features, "POSTNR_TXT")
    names = {p["POSTNR_TXT"]: p["POSTBYNAVN"] for p, _shape in postcode_features}
    shapes = area_shapes(table, municipalities, postcodes)
    inside, outside = postcode_table(shapes, postcodes, names)
    return {
        SHAPES_FILE: _dump(screen_shapes(table, shapes)),
        POSTCODES_FILE: _dump(
            {
                "source": SOURCE,
                "min_share": MIN_SHARE,
                "postcodes": inside,
                "outside": outside,
            }
        ),
    }


def _dump(data: dict) -> str:
    """JSON with one area or postcode a line, so that a rebuild's diff reads line by line."""

    def compact(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = []
    for key, value in data.items():
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            items = [f"{compact(k)}:{compact(v)}" for k, v in value.items()]
            lines.append(f"{compact(key)}:{{\n" + ",\n".join(items) + "\n}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{compact(key)}:[\n" + ",\n".join(compact(v) for v in value) + "\n]")
        else:
            lines.append(f"{compact(key)}:{compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
