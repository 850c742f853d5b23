"""The public pages, in Danish at the root and in English under /en/ (i18n_patterns)."""

from django.urls import path

from portal import certificate_views, statistics, views
from portal.cache import cached_page
from portal.feeds import LatestPostingsFeed

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("opslag/", views.posting_list, name="posting_list"),
    path("opslag/<int:pk>/", views.posting_detail, name="posting_detail"),
    path("opslag/<int:pk>/<int:posting>/", views.posting_version, name="posting_version"),
    path("laegedaekningstruede-omraader/", views.threatened_areas, name="threatened_areas"),
    path("omraader/", views.area_list, name="area_list"),
    path("omraader/<slug:slug>/", views.area_detail, name="area_detail"),
    path("omraader/<slug:slug>/attest/", certificate_views.certificate, name="certificate"),
    path(
        "omraader/<slug:slug>/attest.pdf",
        certificate_views.certificate_pdf,
        name="certificate_pdf",
    ),
    path("statistik/", statistics.statistics_page, name="statistics"),
    path("feeds/postings/", cached_page(LatestPostingsFeed()), name="postings_feed"),
]
