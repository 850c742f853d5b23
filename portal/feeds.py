"""Atom feed of new postings, so that doctors can subscribe instead of checking the site."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from capacities.models import Capacity
from common.text import clean_text
from coverage_areas.models import RegionProfile
from portal.queries import open_postings

FEED_SIZE = 50


class LatestPostingsFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("New GP capacity postings · %(region)s") % {"region": RegionProfile.current()}

    def subtitle(self) -> str:
        return _("GP capacities posted in the planning areas of %(region)s, newest first.") % {
            "region": RegionProfile.current()
        }

    def link(self) -> str:
        return reverse("portal:posting_list")

    def feed_url(self) -> str:
        return reverse("portal:postings_feed")

    def items(self) -> list[Capacity]:
        return list(open_postings().order_by("-posted_on", "-id")[:FEED_SIZE])

    def item_title(self, item: Capacity) -> str:
        return clean_text(_("GP capacity posted in %(area)s") % {"area": item.area.name})

    def item_description(self, item: Capacity) -> str:
        if item.application_deadline:
            deadline = _("Application deadline: %(date)s.") % {
                "date": date_format(item.application_deadline, "DATE_FORMAT")
            }
        else:
            deadline = _("No deadline: applicants are assessed on a rolling basis.")
        # A remark stored with a control character must not fail the feed (XML 1.0 refuses
        # them) for every reader.
        return clean_text(" ".join(part for part in (deadline, item.posting_remark) if part))

    def item_link(self, item: Capacity) -> str:
        return reverse("portal:posting_detail", args=[item.pk])

    def item_pubdate(self, item: Capacity) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(item.posted_on, dt.time(8, 0)))

    def item_updateddate(self, item: Capacity) -> dt.datetime:
        return self.item_pubdate(item)
