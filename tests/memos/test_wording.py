"""Staff edit the memo's wording; placeholders are checked and filled in correct Danish."""

import pytest
from django.utils import translation

from memos import wording
from memos.models import MemoWording


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "0 kapaciteter"), (1, "1 kapacitet"), (3, "3 kapaciteter")],
)
def test_numbers_take_the_danish_singular_or_plural(number, expected):
    assert wording.fill("b_heading", "{total:# kapacitet|# kapaciteter}", {"total": number}) == (
        expected
    )


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "ingen puljekapaciteter"), (1, "1 puljekapacitet"), (3, "3 puljekapaciteter")],
)
def test_a_third_form_is_used_for_zero(number, expected):
    text = "{remaining:ingen puljekapaciteter|# puljekapacitet|# puljekapaciteter}"

    assert wording.fill("d_remaining", text, {"remaining": number}) == expected


def test_plain_number_and_text_placeholders_are_filled():
    text = "Der er pr. {as_of_without_year} {total} i {committee}."
    values = {"as_of_without_year": "24. oktober", "total": 1, "committee": "udvalget"}

    assert wording.fill("a_meeting", text, values) == "Der er pr. 24. oktober 1 i udvalget."


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("b_heading", "I opslag ({count})", "Unknown placeholder {count}. Allowed here: {total}."),
        ("b_channels", "Se {as_of}", "Unknown placeholder {as_of}. Allowed here: none."),
        ("b_heading", "I opslag ({total)", "Curly braces must come in pairs"),
        ("b_heading", "I opslag {}", "An empty placeholder {} is not allowed"),
        ("b_heading", "{total.__class__}", "Unknown placeholder {total.__class__}"),
        ("intro", "{as_of!r}", "without !r"),
        ("intro", "{as_of:# dag|# dage}", "Only numbers can have singular and plural forms"),
        ("b_heading", "{total:kapaciteter}", "needs two forms, singular|plural"),
        ("b_heading", "{total:a|b|c|d}", "needs two forms, singular|plural"),
    ],
)
def test_bad_placeholders_are_refused_with_a_clear_message(key, text, message):
    with translation.override("en"):
        problems = wording.errors(key, text)

    assert any(message in problem for problem in problems), problems


def test_every_default_text_is_usable():
    for key, text in wording.DEFAULTS.items():
        assert wording.errors(key, text) == [], key


def test_messages_are_danish_by_default():
    assert wording.errors("b_heading", "{antal}") == [
        "Ukendt pladsholder {antal}. Tilladt her: {total}."
    ]


def test_literal_braces_are_written_doubled():
    assert wording.errors("b_channels", "Se {{kanaler}}") == []
    assert wording.fill("b_channels", "Se {{kanaler}}", {}) == "Se {kanaler}"


@pytest.mark.django_db
def test_a_fresh_database_holds_the_default_wording():
    assert MemoWording.objects.texts() == wording.DEFAULTS
