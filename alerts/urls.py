"""Subscriptions to alerts, in Danish at /abonnement/ and in English under /en/abonnement/."""

from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("tjek-din-post/", views.requested, name="requested"),
    path("bekraeft/<str:token>/", views.confirm, name="confirm"),
    path("afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("afmeld/<str:token>/et-klik/", views.one_click_unsubscribe, name="one_click_unsubscribe"),
]
