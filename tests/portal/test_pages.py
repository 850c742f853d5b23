"""The public pages, in Danish at the root and English under /en/, on the demo data."""

import datetime as dt
import itertools
import re

import pytest

from capacities.models import Capacity, Status
from coverage_areas.models import DesignationRound

pytestmark = pytest.mark.django_db

PAGES = ["/", "/opslag/", "/laegedaekningstruede-omraader/", "/omraader/", "/omraader/ishoej/"]


def text_of(response) -> str:
    """The visible text, whitespace collapsed, for assertions that ignore the markup."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def headings(response) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", response.content.decode())]


def posted(area: str) -> Capacity:
    return Capacity.objects.get(status=Status.POSTED, area__name=area)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_danish_at_the_root_and_english_under_en(client, autumn_2024, path):
    danish = client.get(path)
    english = client.get(f"/en{path}")
    assert danish.status_code == english.status_code == 200
    assert '<html lang="da">' in danish.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Spring til indhold" in text_of(danish)
    assert "Skip to content" in text_of(english)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_the_same_page_in_the_other_language(client, autumn_2024, path):
    danish = client.get(path).content.decode()
    english = client.get(f"/en{path}").content.decode()
    assert f'id="language-en" href="/en{path}"' in danish
    assert f'id="language-da" href="{path}"' in english


def test_the_language_switch_keeps_the_question_asked(client, autumn_2024):
    page = client.get("/omraader/ishoej/?date=2023-06-01").content.decode()
    assert 'href="/en/omraader/ishoej/?date=2023-06-01"' in page


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_one_h1_and_headings_in_order(client, autumn_2024, path):
    levels = headings(client.get(path))
    assert levels.count(1) == 1 and levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_landmarks_a_skip_link_and_an_open_data_twin(client, autumn_2024, path):
    page = client.get(path).content.decode()
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page and "<header" in page and "<footer" in page
    assert re.search(r'<link rel="alternate" type="application/(json|atom\+xml)"', page)
    assert 'rel="alternate" hreflang="en"' in page


@pytest.mark.parametrize("path", PAGES)
def test_every_table_has_a_caption_and_scoped_headers(client, autumn_2024, path):
    page = client.get(path).content.decode()
    for table in re.findall(r"<table.*?</table>", page, flags=re.S):
        assert "<caption" in table
        assert "<th>" not in table  # every header cell says what it heads
    for region in re.findall(r'<div class="table-scroll"[^>]*>', page):
        assert 'tabindex="0"' in region and "aria-labelledby" in region


def test_home_shows_what_is_open_by_area_and_this_years_lists(client, in_2023):
    response = client.get("/")
    text = text_of(response)
    assert "2 lægekapaciteter er slået op lige nu." in text
    assert 'href="/opslag/?area=hoeje-taastrup"' in response.content.decode()
    assert "Regional liste 2023" in text
    assert "Valby" in text and "Høje-Taastrup" in text
    assert "National liste 2021-2024" in text and "Brøndby Strand" in text


def test_home_says_plainly_when_this_years_list_is_only_announced(client, demo, pin_today):
    pin_today(dt.date(2024, 1, 3))
    text = text_of(client.get("/en/"))
    assert "The regional coverage-threatened areas for 2024 are not decided yet" in text
    assert "8 January 2024" in text
    assert "The latest decided list is from 2023" in text


def test_home_shows_when_the_data_last_changed(client, autumn_2024):
    page = client.get("/").content.decode()
    assert 'id="last-changed"' in page
    assert "Data sidst ændret" in page


def test_postings_list_shows_the_open_postings_with_counts(client, autumn_2024):
    response = client.get("/opslag/")
    text = text_of(response)
    assert "2 af 2 åbne opslag passer til filtrene." in text
    assert "Opslag i Høje-Taastrup" in text and "Opslag i Rødovre" in text
    assert "Uden frist, ansøgere vurderes løbende" in text
    # Herlev's pool capacity is allocated but not yet posted: not public.
    assert "Herlev" not in re.sub(r"<select.*?</select>", "", response.content.decode(), flags=re.S)


def test_postings_list_filters_by_area_origin_deadline_and_threat(client, in_2023):
    assert "Opslag i Høje-Taastrup" in text_of(client.get("/opslag/?area=hoeje-taastrup"))
    assert "Opslag i Rødovre" not in text_of(client.get("/opslag/?area=hoeje-taastrup"))
    assert "0 af 2 åbne opslag passer" in text_of(client.get("/opslag/?origin=pool"))
    assert "2 af 2 åbne opslag passer" in text_of(client.get("/opslag/?deadline=rolling"))
    assert "0 af 2 åbne opslag passer" in text_of(client.get("/opslag/?deadline=dated"))
    assert "0 af 2 åbne opslag passer" in text_of(client.get("/opslag/?deadline_before=2030-01-01"))
    # On 1 June 2023 Høje-Taastrup is regionally threatened, Rødovre is not.
    threatened = text_of(client.get("/opslag/?threatened=regional"))
    assert "Opslag i Høje-Taastrup" in threatened and "Opslag i Rødovre" not in threatened
    not_threatened = text_of(client.get("/opslag/?threatened=no"))
    assert "Opslag i Rødovre" in not_threatened and "Opslag i Høje-Taastrup" not in not_threatened


def test_postings_list_sorts_newest_first_on_request(client, autumn_2024):
    page = client.get("/opslag/?sort=newest").content.decode()
    assert page.index("Opslag i Rødovre") < page.index("Opslag i Høje-Taastrup")
    page = client.get("/opslag/?sort=area").content.decode()
    assert page.index("Opslag i Høje-Taastrup") < page.index("Opslag i Rødovre")


def test_postings_filter_form_labels_every_control(client, autumn_2024):
    page = client.get("/opslag/").content.decode()
    for control_id in re.findall(r'<(?:select|input)[^>]*id="([^"]+)"', page):
        assert f'for="{control_id}"' in page, control_id


def test_posting_page_shows_deadline_remark_channels_and_todays_benefits(client, in_2023):
    posting = posted("Høje-Taastrup")
    text = text_of(client.get(f"/opslag/{posting.pk}/"))
    assert "Lægekapacitet slået op i Høje-Taastrup" in text
    assert "Uden frist, ansøgere vurderes løbende" in text
    assert "Regional liste: lægedækningstruet" in text
    assert "Ret til at etablere delepraksis" in text
    assert "Tilskud til teletolkningsudstyr" in text  # a benefit of every kind
    assert "differentieret basishonorar" not in text  # Høje-Taastrup is not national


def test_posting_page_in_english_gives_the_benefits_in_english(client, in_2023):
    posting = posted("Høje-Taastrup")
    text = text_of(client.get(f"/en/opslag/{posting.pk}/"))
    assert "No deadline, applicants assessed on a rolling basis" in text
    assert "The right to set up a shared practice" in text
    assert "1 May 2024" in text


def test_posting_page_says_what_is_not_known_rather_than_no(client, autumn_2024):
    posting = posted("Rødovre")
    text = text_of(client.get(f"/en/opslag/{posting.pk}/"))
    # 24 October 2024: the 2024 regional list is only announced, the national 2021-2024 list
    # is decided and Rødovre is not on it.
    assert "Regional list: not decided" in text
    assert (
        "Not known: the list for 2024 is recorded as announced for decision on 8 January 2024, "
        "but no decision is recorded."
    ) in text
    assert "Rødovre is not on the national list for 2021-2024" in text
    assert "No extra benefits for coverage-threatened areas apply on that date." in text


def test_threatened_areas_page_computes_the_changes_of_each_year(client, autumn_2024):
    text = text_of(client.get("/laegedaekningstruede-omraader/"))
    assert (
        "Nørrebro, Rødovre og Vesterbro er gået fra at være lægedækningstruede i 2022 til ikke "
        "at være det i 2023, mens Hvidovre, Høje-Taastrup og Valby er gået fra ikke at være "
        "lægedækningstruede i 2022 til at være lægedækningstruede i 2023."
    ) in text
    for year in (2021, 2022, 2023):
        assert f"Regionalt lægedækningstruede områder {year}" in text


def test_threatened_areas_page_shows_an_announced_year_with_its_decision_date(client, autumn_2024):
    danish = text_of(client.get("/laegedaekningstruede-omraader/"))
    english = text_of(client.get("/en/laegedaekningstruede-omraader/"))
    assert "Endnu ikke besluttet: besluttes den 8. januar 2024." in danish
    assert "Not decided yet: to be decided on 8 January 2024." in english


def test_threatened_areas_page_states_the_rule_and_the_benefits(client, autumn_2024):
    text = text_of(client.get("/en/laegedaekningstruede-omraader/"))
    assert "Your rights follow the status on the date you apply" in text
    assert "The right to a differentiated basic fee" in text
    assert "National list 2021-2024" in text
    english_benefits = text.split("In regional coverage-threatened areas")[1]
    assert english_benefits.index("You may employ doctors") < english_benefits.index(
        "Subsidies for remote video-interpretation"
    )


def test_threatened_areas_page_lists_this_years_regional_list_when_decided(client, in_2023):
    page = client.get("/laegedaekningstruede-omraader/").content.decode()
    current = page.split('id="regional-now"')[1].split("</section>")[0]
    assert "Regional liste 2023" in current and "Valby" in current and "Nørrebro" not in current


def test_area_list_finds_areas_with_danish_letters_whatever_the_case(client, autumn_2024):
    text = text_of(client.get("/omraader/?q=BRØN"))
    assert "Brøndby" in text and "Brøndby Strand" in text and "Brønshøj-Husum" in text
    assert "Ishøj" not in text
    assert "Høje-Taastrup" in text_of(client.get("/omraader/?q=hoeje"))


def test_area_page_shows_capacities_on_the_way_and_the_family(client, autumn_2024):
    text = text_of(client.get("/en/omraader/broendby/"))
    assert "Granted, awaiting establishment" in text
    assert "1 November 2024" in text
    assert "lægerne meddeler at de aktiverer pr. 1 november 2024" in text
    assert "Brøndby Strand" in text  # its sub-area
    sub = client.get("/omraader/broendby-strand/").content.decode()
    assert 'id="parent"><a href="/omraader/broendby/">Brøndby</a>' in sub


def test_area_page_shows_the_history_by_year_and_kind(client, autumn_2024):
    page = client.get("/en/omraader/broendby-strand/").content.decode()
    timeline = page.split('id="timeline"')[1].split("</table>")[0]
    row_2023 = timeline.split('<th scope="row">2023</th>')[1].split("</tr>")[0]
    assert "through Brøndby" in row_2023 and "Coverage-threatened" in row_2023
    row_2021 = timeline.split('<th scope="row">2021</th>')[1].split("</tr>")[0]
    assert "Not coverage-threatened" in row_2021
    row_2024 = timeline.split('<th scope="row">2024</th>')[1].split("</tr>")[0]
    assert "Not decided yet" in row_2024


def asked_answer(client, path: str) -> str:
    page = client.get(path).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('id="status-answer"')[1]))


def test_area_page_answers_the_status_on_a_date(client, autumn_2024):
    answer = asked_answer(client, "/en/omraader/broendby-strand/?date=2023-06-01")
    assert "Regional list: coverage-threatened" in answer
    assert "Through Brøndby, designated for 2023" in answer
    assert "National list: coverage-threatened" in answer
    assert "Brøndby Strand is designated for 2021-2024" in answer
    # A parent's designation covers its sub-areas, never upwards.
    parent = asked_answer(client, "/en/omraader/broendby/?date=2023-06-01")
    assert "Regional list: coverage-threatened" in parent
    assert "National list: not coverage-threatened" in parent
    assert "Brøndby is not on the national list for 2021-2024" in parent


def test_area_page_never_answers_no_for_a_date_no_decided_list_covers(client, autumn_2024):
    for date in ("2024-06-01", "2030-03-01", "2099-12-31"):
        answer = asked_answer(client, f"/en/omraader/hoeje-taastrup/?date={date}")
        assert "Regional list: not decided" in answer
        assert "not coverage-threatened" not in answer.split("National list")[0]
    june = asked_answer(client, "/en/omraader/hoeje-taastrup/?date=2024-06-01")
    assert "recorded as announced for decision on 8 January 2024" in june
    later = asked_answer(client, "/en/omraader/hoeje-taastrup/?date=2030-03-01")
    assert "Not known: no regional list is recorded for 2030." in later
    assert "Not known: no national list is recorded for a period that covers 2030." in later


def test_area_page_gives_a_form_error_for_a_bad_date(client, autumn_2024):
    response = client.get("/omraader/amager/?date=2023-02-30")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "Skriv en gyldig dato" in page
    assert 'aria-invalid="true"' in page


def test_an_other_spelling_of_an_area_redirects_to_its_page(client, autumn_2024):
    response = client.get("/omraader/brondby-strand/?date=2023-06-01")
    assert response.status_code == 301
    assert response["Location"] == "/omraader/broendby-strand/?date=2023-06-01"


def test_unknown_pages_answer_a_translated_404(client, autumn_2024):
    danish = client.get("/omraader/atlantis/")
    english = client.get("/en/omraader/atlantis/")
    assert danish.status_code == english.status_code == 404
    assert "Siden blev ikke fundet" in text_of(danish)
    assert "Page not found" in text_of(english)
    assert 'href="/en/omraader/atlantis/"' in danish.content.decode()


def test_a_round_recorded_later_appears_on_the_pages(client, demo, pin_today):
    pin_today(dt.date(2024, 2, 1))
    round_ = DesignationRound.objects.get(kind="regional", first_year=2024)
    round_.status = DesignationRound.Status.DECIDED
    round_.save()
    round_.designations.create(area_id=round_.areas.model.objects.get(name="Rødovre").pk)
    text = text_of(client.get("/laegedaekningstruede-omraader/"))
    assert "Regional liste 2024" in text
    assert "Rødovre er gået fra ikke at være lægedækningstruede i 2023" in text


def test_the_demo_data_says_what_is_illustrative_only_when_it_is_the_demo(
    client, autumn_2024, settings
):
    from portal.cache import bump_version

    settings.DEMO_DATA = False
    assert 'id="demo-note"' not in client.get("/").content.decode()

    # The setting is fixed in a running portal; here it changes, so the cached pages must go
    # (every process keeps its latest pages in memory, keyed by the data version).
    bump_version()
    settings.DEMO_DATA = True
    home = client.get("/").content.decode()
    assert 'id="demo-note"' in home
    assert "Demodata." in home and "opdigtede eksempler" in home
    threatened = client.get("/laegedaekningstruede-omraader/").content.decode()
    pressure = threatened.split('id="pressure"')[1]
    assert "Opdigtede eksempeltal (demodata)" in pressure
