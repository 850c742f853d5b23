"""Open data and the sitemap: one address each, outside the language prefixes."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from portal import api
from portal.cache import cached_page
from portal.sitemaps import SITEMAPS

app_name = "open_data"

urlpatterns = [
    path("api/postings.json", api.postings_json, name="postings_json"),
    path("api/postings.csv", api.postings_csv, name="postings_csv"),
    path("api/postings.xlsx", api.postings_xlsx, name="postings_xlsx"),
    path("api/postings-excel.csv", api.postings_excel_csv, name="postings_excel_csv"),
    path("api/designations.json", api.designations_json, name="designations_json"),
    path("api/designations.xlsx", api.designations_xlsx, name="designations_xlsx"),
    path("api/designations-excel.csv", api.designations_excel_csv, name="designations_excel_csv"),
    path("api/areas/<str:slug>/status.json", api.area_status_json, name="area_status"),
    path("api/postcodes/<str:code>.json", api.postcode_json, name="postcode"),
    path("api/pipeline.json", api.pipeline_json, name="pipeline_json"),
    path(
        "sitemap.xml",
        cached_page(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
]
