"""/sitemap.xml: every public page, in Danish and English (hreflang alternates)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from capacities.models import Capacity
from coverage_areas.models import PlanningArea
from portal.queries import open_postings


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(_Bilingual):
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "portal:home",
            "portal:posting_list",
            "portal:threatened_areas",
            "portal:area_list",
            "portal:statistics",
            "alerts:subscribe",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class PostingSitemap(_Bilingual):
    changefreq = "daily"

    def items(self):
        return open_postings().order_by("id")

    def location(self, item: Capacity) -> str:
        return reverse("portal:posting_detail", args=[item.pk])


class AreaSitemap(_Bilingual):
    changefreq = "weekly"

    def items(self):
        return PlanningArea.objects.order_by("slug")

    def location(self, item: PlanningArea) -> str:
        return reverse("portal:area_detail", args=[item.slug])


SITEMAPS = {"pages": PageSitemap, "postings": PostingSitemap, "areas": AreaSitemap}
