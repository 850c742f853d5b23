"""Template context every page shares."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from coverage_areas.models import RegionProfile


def demo_data(request) -> dict:
    """Whether the pages show the demo data's note (setting DEMO_DATA, on under `make run`)."""
    return {"demo_data": settings.DEMO_DATA}


def region(request) -> dict:
    """The region the portal serves, as staff keep it (RegionProfile): its name in the header,
    titles and footer. Read only when a page shows it (the 503 page never does)."""
    return {"region": SimpleLazyObject(RegionProfile.current)}
