from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from capacities.models import Capacity


def home(request: HttpRequest) -> HttpResponse:
    postings = Capacity.objects.open_postings().order_by("area__name", "posted_on")
    return render(request, "portal/home.html", {"postings": postings})
