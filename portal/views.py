from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from capacities.models import Capacity


def home(request: HttpRequest) -> HttpResponse:
    postings = Capacity.objects.open_postings().order_by("area__name", "posted_on")
    return render(request, "portal/home.html", {"postings": postings})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
