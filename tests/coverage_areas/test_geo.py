"""The prepared map shapes and postcode table: current with their source, covering the region,
and readable without any GIS library."""

import io
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import shapely
from django.conf import settings
from django.core.management import CommandError, call_command

from coverage_areas import geobuild
from coverage_areas.postcodes import Outside, Postcode, lookup, postcodes_of
from coverage_areas.shapes import GEODATA, TABLE, load_shapes

SOURCE = settings.BASE_DIR.parent / "shared" / "data" / "geo"
REGION = Path(settings.BASE_DIR) / "fixtures" / "region.json"


@pytest.fixture(scope="module")
def source():
    """The source shapes in metres, read independently of how the areas are formed."""
    municipalities = geobuild._projected(
        geobuild.read_topojson(SOURCE / geobuild.MUNICIPALITIES), "KOMKODE"
    )
    features = geobuild.read_topojson(SOURCE / geobuild.POSTCODES)
    postcodes = geobuild._projected(features, "POSTNR_TXT")
    names = {properties["POSTNR_TXT"]: properties["POSTBYNAVN"] for properties, _ in features}
    return municipalities, postcodes, names


def test_derived_files_rebuild_identically(tmp_path):
    call_command("build_area_shapes", source=SOURCE, output=tmp_path, stdout=io.StringIO())
    for name in (geobuild.SHAPES_FILE, geobuild.POSTCODES_FILE):
        rebuilt = (tmp_path / name).read_text(encoding="utf-8")
        committed = (GEODATA / name).read_text(encoding="utf-8")
        assert rebuilt == committed, f"{name} is stale: run manage.py build_area_shapes"


def test_derived_files_name_their_source():
    readme = (GEODATA / "README.md").read_text(encoding="utf-8")
    for name in (geobuild.SHAPES_FILE, geobuild.POSTCODES_FILE):
        data = json.loads((GEODATA / name).read_text(encoding="utf-8"))
        assert data["source"].startswith("Source: Geodatastyrelsen & Danske Kommuner, FOT")
        assert data["source"].removeprefix("Source: ").split(",")[0] in readme


def test_command_without_source_says_what_is_missing(tmp_path):
    with pytest.raises(CommandError, match=r"kommuner\.topojson"):
        call_command("build_area_shapes", source=tmp_path, output=tmp_path)


def test_table_and_shapes_cover_exactly_the_region_s_planning_areas():
    region = json.loads(REGION.read_text(encoding="utf-8"))
    names = {area["name"] for area in region["areas"]}
    table = geobuild.read_table(TABLE)
    assert {row.name for row in table} == names
    assert len(table) == 38
    assert {s.name for s in load_shapes().areas.values()} == names
    assert all(shape.path.startswith("M") for shape in load_shapes().areas.values())


def test_map_is_tens_of_kilobytes():
    assert 5_000 < (GEODATA / geobuild.SHAPES_FILE).stat().st_size < 40_000


def test_areas_of_one_municipality_do_not_overlap_and_fill_it(source):
    municipalities, postcodes, _names = source
    table = geobuild.read_table(TABLE)
    shapes = geobuild.area_shapes(table, municipalities, postcodes)
    by_code = defaultdict(list)
    for row in table:
        by_code[row.municipality].append(shapes[row.slug])
    for code, parts in by_code.items():
        whole = municipalities[code]
        assert abs(sum(p.area for p in parts) - whole.area) < 0.001 * whole.area, code
        assert shapely.union_all(parts).symmetric_difference(whole).area < 0.001 * whole.area


def test_every_postcode_of_the_region_resolves(source):
    """Over the whole source table: a postcode with a real part in one of the region's
    municipalities resolves to areas whose shares sum to 1, the first in the municipality
    that holds most of it; every other postcode of Denmark answers "outside the region"."""
    municipalities, postcodes, names = source
    table = geobuild.read_table(TABLE)
    municipality_of = {row.slug: row.municipality for row in table}
    ours = {code: municipalities[code] for code in {row.municipality for row in table}}
    resolved = 0
    for text, shape in postcodes.items():
        parts = {code: shape.intersection(m).area / shape.area for code, m in ours.items()}
        inside = sum(parts.values())
        first, _dash, last = text.partition("-")
        for number in range(int(first), int(last or first) + 1):
            code = f"{number:04d}"
            found = lookup(code)
            if inside < geobuild.MIN_SHARE:
                assert isinstance(found, Outside), code
                assert found.name == names[text]
                continue
            assert isinstance(found, Postcode), code
            assert found.name == names[text]
            assert abs(sum(a.share for a in found.areas) - 1) < 0.01, code
            largest = max(parts, key=parts.get)
            assert municipality_of[found.areas[0].slug] == largest, code
            assert [a.share for a in found.areas] == sorted(
                (a.share for a in found.areas), reverse=True
            )
            resolved += 1
    assert resolved > 500  # with central Copenhagen's ranges, 1000-1899 among them


# Written by hand from the map of the region (the largest part first).
EXPECTED = {
    "2650": ["hvidovre"],
    "2770": ["taarnby"],
    "2300": ["amager"],
    "1050": ["indre-by"],
    "1620": ["vesterbro"],
    "2450": ["vesterbro"],
    "2100": ["oesterbro"],
    "2200": ["noerrebro"],
    "2400": ["bispebjerg"],
    "2500": ["valby"],
    "2700": ["broenshoej-husum"],
    "2720": ["vanloese"],
    "2000": ["frederiksberg"],
    "2605": ["broendby"],
    "2660": ["broendby-strand"],
    "2800": ["lyngby-taarbaek", "gladsaxe"],
    "2730": ["herlev", "gladsaxe"],
    "3300": ["halsnaes", "gribskov"],
    "3400": ["hilleroed"],
    "3700": ["bornholm"],
    "3000": ["helsingoer"],
    "4050": ["frederikssund"],
}


@pytest.mark.parametrize(("code", "slugs"), EXPECTED.items())
def test_postcode_lies_in_the_areas_a_local_would_name(code, slugs):
    found = lookup(code)
    assert [a.slug for a in found.areas] == slugs


def test_postcodes_outside_the_region_or_unknown():
    assert lookup("4000") == Outside(code="4000", name="Roskilde")
    assert lookup("5000") == Outside(code="5000", name="Odense C")
    assert lookup("0000") is None
    assert lookup("2651") is None


def test_an_area_knows_its_postcodes():
    assert [p.code for p in postcodes_of("gladsaxe")] == ["2730", "2800", "2860", "2880"]
    assert [p.label for p in postcodes_of("indre-by")] == ["1000-1499 København K"]


def test_the_web_process_reads_the_shapes_without_a_gis_library():
    code = (
        "import sys, django; django.setup();"
        "import coverage_areas.postcodes as p, coverage_areas.shapes as s, portal.maps;"
        "p.lookup('2650'); s.load_shapes();"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('shapely', 'pyproj')];"
        "assert not bad, bad"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "capacity_portal.settings", "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
