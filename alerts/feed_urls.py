"""The deadlines calendar keeps one address whatever the language, like the open data."""

from django.urls import path

from alerts import views

app_name = "alerts_feeds"

urlpatterns = [
    path("feeds/deadlines.ics", views.deadlines_calendar, name="deadlines"),
]
