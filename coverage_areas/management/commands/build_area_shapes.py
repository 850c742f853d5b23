from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coverage_areas.shapes import GEODATA, TABLE


class Command(BaseCommand):
    help = (
        "Build the planning areas' map shapes and the postcode table (coverage_areas/geodata/) "
        "from the municipality and postcode areas (TopoJSON) and the table areas.csv. "
        "Needs the development dependencies (shapely, pyproj)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=settings.BASE_DIR.parent / "shared" / "data" / "geo",
            help="Folder with kommuner.topojson and postnumre.topojson.",
        )
        parser.add_argument(
            "--output", type=Path, default=GEODATA, help="Folder the derived files go to."
        )

    def handle(self, *args, source: Path, output: Path, **options):
        try:
            from coverage_areas import geobuild
        except ImportError as error:
            raise CommandError(
                f"{error}: building the shapes needs the development dependencies "
                "(pip install shapely pyproj, or make install-dev)."
            ) from error
        needed = (geobuild.MUNICIPALITIES, geobuild.POSTCODES)
        missing = [name for name in needed if not (source / name).exists()]
        if missing:
            raise CommandError(f"{source} lacks {', '.join(missing)}.")
        files = geobuild.build(source, TABLE)
        output.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (output / name).write_text(text, encoding="utf-8")
            self.stdout.write(f"{output / name}: {len(text.encode()):,} bytes")
