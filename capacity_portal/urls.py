from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from capacity_portal.health import healthz

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Open data and the sitemap keep one address whatever the language.
    path("", include("portal.open_data_urls")),
    path("", include("alerts.feed_urls")),
    *i18n_patterns(path("", include("portal.urls")), prefix_default_language=False),
    *i18n_patterns(path("abonnement/", include("alerts.urls")), prefix_default_language=False),
]
