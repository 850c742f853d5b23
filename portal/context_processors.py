"""Template context every page shares."""

from django.conf import settings


def demo_data(request) -> dict:
    """Whether the pages show the demo data's note (setting DEMO_DATA, on under `make run`)."""
    return {"demo_data": settings.DEMO_DATA}
