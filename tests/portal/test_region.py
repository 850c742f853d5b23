"""The region's identity is data: when the region changes shape (Region Østdanmark from
1 January 2027), staff edit one record and the pages, the feed and the mails follow."""

from __future__ import annotations

from coverage_areas.models import RegionProfile
from portal.cache import bump_version
from tests import factories


def rename(name: str) -> None:
    region = RegionProfile.current()
    region.name = name
    region._history_user = factories.staff_user()
    region._change_reason = "Regionerne lægges sammen"
    region.save()
    bump_version()


def test_the_pages_and_the_feed_say_the_name_staff_keep(client, autumn_2024):
    before = client.get("/").content.decode()
    assert "Region Hovedstaden" in before and "Region Østdanmark" not in before

    rename("Region Østdanmark")

    home = client.get("/").content.decode()
    assert '<span class="brand-sub">Region Østdanmark</span>' in home
    assert "Lægekapaciteter · Region Østdanmark</title>" in home
    assert "praktiserende læge i Region Østdanmark" in home
    assert "Region Hovedstaden" not in home
    english = client.get("/en/").content.decode()
    assert "GP capacities · Region Østdanmark</title>" in english
    feed = client.get("/feeds/postings/").content.decode()
    assert "Nye opslag af lægekapaciteter · Region Østdanmark" in feed
    assert RegionProfile.current().history.latest().history_change_reason == (
        "Regionerne lægges sammen"
    )
