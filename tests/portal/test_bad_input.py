"""Bad input gets a form error, a 400 or a 404 with a clear message, never a 500."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacities.models import Capacity, Status

pytestmark = pytest.mark.django_db


def test_unknown_filter_values_give_form_errors(client, autumn_2024):
    for query, message in [
        ("area=atlantis", "gyldig valgmulighed"),
        ("origin=borrowed", "gyldig valgmulighed"),
        ("deadline=tomorrow", "gyldig valgmulighed"),
        ("threatened=maybe", "gyldig valgmulighed"),
        ("sort=sideways", "gyldig valgmulighed"),
        ("deadline_before=2024-13-45", "gyldig dato"),
    ]:
        response = client.get(f"/opslag/?{query}")
        assert response.status_code == 400, query
        page = response.content.decode()
        assert 'id="form-errors"' in page and message in page, query
        assert 'id="postings"' not in page  # no results that would pretend to match


def test_absurd_page_numbers_show_a_real_page(client, autumn_2024):
    for page in ["99999999999999999999999", "-3", "0", "abc", "1e9", ""]:
        response = client.get(f"/opslag/?page={page}")
        assert response.status_code == 200, page
        assert "Opslag i Rødovre" in response.content.decode()


def test_a_posting_address_with_an_absurd_number_is_not_found(client, autumn_2024):
    assert client.get("/opslag/99999999999999999999999999/").status_code == 404
    assert client.get("/opslag/0/").status_code == 404


def test_a_too_long_area_search_is_a_form_error(client, autumn_2024):
    response = client.get("/omraader/?" + urlencode({"q": "ø" * 101}))
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/designations.json",
        "/api/designations.json?year=",
        "/api/designations.json?year=abc",
        "/api/designations.json?year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%93",  # full-width digits
        "/api/designations.json?year=1999",
        "/api/designations.json?year=99999999999999999999",
        "/api/areas/amager/status.json",
        "/api/areas/amager/status.json?date=",
        "/api/areas/amager/status.json?date=2023-02-30",
        "/api/areas/amager/status.json?date=01.06.2023",
        "/api/areas/amager/status.json?date=20230601",
        "/api/postings.json?area=atlantis",
        "/api/postings.csv?deadline_before=soon",
    ],
)
def test_the_api_answers_bad_input_with_400_and_a_message(client, autumn_2024, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"error"} and response.json()["error"]


def test_the_api_answers_an_unknown_area_with_404_and_a_message(client, autumn_2024):
    response = client.get("/api/areas/atlantis/status.json?date=2023-06-01")
    assert response.status_code == 404
    assert "atlantis" in response.json()["error"]


def test_a_capacity_never_posted_has_no_posting_page(client, autumn_2024):
    never = Capacity.objects.filter(status=Status.ACTIVE, transitions__action="post").first()
    unposted = Capacity.objects.exclude(transitions__action__in=["post", "lapse_grant"]).first()
    assert never is None or never.pk != unposted.pk
    assert client.get(f"/opslag/{unposted.pk}/").status_code == 404
    posting = Capacity.objects.filter(status=Status.POSTED).first()
    assert client.get(f"/opslag/{posting.pk}/{posting.pk + 10**6}/").status_code == 404


PARAMETERS = [
    "area",
    "origin",
    "deadline",
    "deadline_before",
    "threatened",
    "sort",
    "page",
    "q",
    "date",
    "year",
]
PUBLIC_URLS = [
    "/",
    "/en/",
    "/opslag/",
    "/en/opslag/",
    "/laegedaekningstruede-omraader/",
    "/omraader/",
    "/omraader/broendby-strand/",
    "/en/omraader/amager/",
    "/en/laegedaekningstruede-omraader/",
    "/opslag/1/",
    "/feeds/postings/",
    "/en/feeds/postings/",
    "/sitemap.xml",
    "/api/postings.json",
    "/api/postings.csv",
    "/api/designations.json",
    "/api/areas/broendby/status.json",
    "/api/areas/no-such-area/status.json",
]
values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["hoeje-taastrup", "pool", "rolling", "dated", "yes", "no", "newest", "2023"]),
)
queries = st.dictionaries(
    st.one_of(st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=10)), values, max_size=5
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(url=st.sampled_from(PUBLIC_URLS), query=queries)
def test_no_query_string_makes_a_public_url_fail(client, autumn_2024, url, query):
    response = client.get(f"{url}?{urlencode(query)}")
    assert response.status_code < 500, (url, query)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(slug=st.text(min_size=1, max_size=30), text=st.text(max_size=30))
def test_no_area_address_or_date_makes_the_area_pages_fail(client, autumn_2024, slug, text):
    from urllib.parse import quote

    query = urlencode({"date": text})
    for url in [
        f"/omraader/{quote(slug, safe='')}/?{query}",
        f"/api/areas/{quote(slug, safe='')}/status.json?{query}",
    ]:
        assert client.get(url).status_code < 500, url


def test_the_server_error_page_renders_without_a_request_context(rf):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("da"):
        danish = server_error(rf.get("/"))
    with translation.override("en"):
        english = server_error(rf.get("/en/"))
    assert danish.status_code == english.status_code == 500
    assert "Der opstod en fejl" in danish.content.decode()
    assert "Something went wrong" in english.content.decode()
    assert '<html lang="en">' in english.content.decode()


def test_the_bad_request_page_is_translated(client, autumn_2024):
    from django.views.defaults import bad_request

    request = client.get("/").wsgi_request
    response = bad_request(request, exception=None)
    assert response.status_code == 400
    assert "Ugyldig forespørgsel" in response.content.decode()
