import pytest

from common.text import danish_slugify
from tests import factories


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Høje-Taastrup", "hoeje-taastrup"),
        ("Tårnby", "taarnby"),
        ("Halsnæs", "halsnaes"),
        ("Brønshøj-Husum", "broenshoej-husum"),
        ("Indre By", "indre-by"),
        ("Østerbro", "oesterbro"),
    ],
)
def test_slug_rule_transliterates_danish_letters(name, slug):
    assert danish_slugify(name) == slug


@pytest.mark.django_db
def test_history_records_the_user_and_reason_of_a_change(editor):
    area = factories.area("Valby")
    area.municipality = "Københavns Kommune"
    area._history_user = editor
    area._change_reason = "Kommunens navn rettet"
    area.save()
    latest = area.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Kommunens navn rettet")
    assert latest.prev_record.municipality == "Valby"
