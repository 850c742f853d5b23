"""Generated junk into every admin form and every management command: never a 500, never a
traceback. An admin form answers with its errors (or saves what is valid); a command exits
with its message (CommandError), or does its work.

The public pages have their own junk tests (tests/portal/test_bad_input.py)."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from capacities.admin.actions import SPECS
from capacities.models import Status
from tests import factories

pytestmark = pytest.mark.django_db

JUNK = settings(
    max_examples=6,
    deadline=None,
    # No shrinking: a failure's example is printed as found, and a run stays short.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a browser can send: any character but lone surrogates (not UTF-8).
junk_text = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "9" * 40,
            "0000-05",
            "99999-01",
            "2024-02-30",
            "31.02.2024",
            "abc",
            "\x00",
            "=1+1",
            "1e309",
            "NaN",
            " ",
        ]
    ),
)


@pytest.fixture
def register(db):
    """A little of everything the admin lists: capacities in every status, a pool, a
    meeting, a designation round, a benefit."""
    from coverage_areas.models import Benefit

    for status in (Status.ACTIVE, Status.AWAITING_DECISION, Status.POSTED, Status.GRANTED):
        factories.capacity(status)
    factories.pool(size=2)
    factories.meeting()
    factories.designation_round(areas=["Herlev"])
    Benefit.objects.create(kind="all", text_da="Delepraksis", text_en="Shared practice")


def _superuser_client() -> Client:
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="junk-root", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


def _admin_pages() -> list[tuple[str, str]]:
    """(model label, url name) of every registered admin's add and change list."""
    pages = []
    for model in admin.site._registry:
        opts = model._meta
        for view in ("add", "changelist"):
            pages.append((opts.label, f"admin:{opts.app_label}_{opts.model_name}_{view}"))
    return sorted(pages)


def _form_fields(url: str, client: Client) -> list[str]:
    response = client.get(url)
    if response.status_code != 200 or "adminform" not in (response.context or {}):
        return []
    form = response.context["adminform"].form
    return list(form.fields)


@pytest.mark.parametrize(("label", "url_name"), _admin_pages())
@given(data=st.data())
@JUNK
def test_every_admin_add_form_and_list_takes_junk_without_a_500(register, label, url_name, data):
    client = _superuser_client()
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return
    if url_name.endswith("_changelist"):
        params = data.draw(
            st.dictionaries(
                st.sampled_from(["q", "o", "p", "status", "area__id__exact", "month", "e", "all"]),
                junk_text,
                max_size=4,
            )
        )
        response = client.get(url, params)
        assert response.status_code < 500, (url, params)
        action = data.draw(junk_text)
        selected = data.draw(st.lists(junk_text, max_size=3))
        response = client.post(url, {"action": action, "_selected_action": selected})
        assert response.status_code < 500, (url, action, selected)
        return
    fields = _form_fields(url, client)
    post = {name: data.draw(junk_text) for name in fields}
    response = client.post(url, post)
    assert response.status_code < 500, (url, post)


@pytest.mark.parametrize("action", sorted(SPECS))
@given(data=st.data())
@JUNK
def test_every_transition_form_takes_junk_without_a_500(register, action, data):
    from capacities.services import TRANSITIONS, create_pool

    client = _superuser_client()
    sources = TRANSITIONS[action][0]
    capacity = factories.capacity(Status.AWAITING_DECISION)
    if Status.POOL_RESERVE in sources:
        pool = create_pool(
            by=factories.staff_user(),
            name=f"Pulje {uuid.uuid4().hex[:8]}",
            created_on=factories.POOL_DAY,
            size=1,
            criteria="Mere end 75% lukket i tre måneder",
        )
        capacity = pool.capacities.get()
    elif Status.ACTIVE in sources:
        capacity = factories.capacity(Status.ACTIVE)
    elif Status.POSTED in sources:
        capacity = factories.capacity(Status.POSTED)
    elif Status.GRANTED in sources:
        capacity = factories.capacity(Status.GRANTED)
    url = reverse("admin:capacities_capacity_change", args=[capacity.pk]) + f"{action}/"
    page = client.get(url)
    assert page.status_code < 500
    fields = list(page.context["form"].fields) if page.context and "form" in page.context else []
    post = {name: data.draw(junk_text) for name in [*fields, "version"]}
    response = client.post(url, post)
    assert response.status_code < 500, (url, post)


@given(data=st.data())
@JUNK
def test_staff_pages_beyond_the_models_take_junk_without_a_500(register, data):
    client = _superuser_client()
    gets = {
        "admin:memos_issuedmemo_export": ["as_of", "format"],
        "admin:capacities_pool_eligibility": ["on"],
        "admin:capacities_capacity_dashboard": ["x"],
    }
    for name, keys in gets.items():
        params = {key: data.draw(junk_text) for key in keys}
        response = client.get(reverse(name), params)
        assert response.status_code < 500, (name, params)
    response = client.post(
        reverse("admin:memos_issuedmemo_export"), {"issue-as_of": data.draw(junk_text)}
    )
    assert response.status_code < 500
    upload = io.BytesIO(data.draw(st.binary(max_size=2000)))
    upload.name = data.draw(st.sampled_from(["f.csv", "f.xlsx", "f"]))
    response = client.post(
        reverse("admin:shortage_intakeclosure_import"),
        {"file": upload, "reason": data.draw(junk_text)},
    )
    assert response.status_code < 500


# Management commands

COMMANDS = {
    "export_memo": ["--as-of", "--format"],
    "import_intake_closures": ["--user", "--reason"],
    "pool_eligibility": ["--on", "--format"],
    "send_posting_alerts": [],
    "purge_alert_requests": [],
    "load_demo": [],
    "create_demo_staff": [],
}


def _run(name: str, *args: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except CommandError as error:
        assert str(error).strip()  # a message, not an empty failure


@pytest.mark.parametrize("name", sorted(COMMANDS))
@given(data=st.data())
@JUNK
def test_every_command_takes_junk_arguments_with_a_message(db, tmp_path, name, data):
    args: list[str] = []
    for option in COMMANDS[name]:
        if data.draw(st.booleans()):
            args += [option, data.draw(junk_text)]
    args += data.draw(st.lists(junk_text.filter(lambda t: not t.startswith("-")), max_size=2))
    if name == "import_intake_closures":
        path = tmp_path / "upload"
        path.write_bytes(data.draw(st.binary(max_size=3000)))
        args = [str(path), *[a for a in args if a != str(path)]]
    if name == "export_memo":
        args += ["--output", str(tmp_path / "memo.out")]
    _run(name, *args)


@given(
    rows=st.lists(st.tuples(junk_text, junk_text, junk_text, junk_text), min_size=1, max_size=5),
    separator=st.sampled_from([",", ";"]),
)
@JUNK
def test_import_takes_junk_figures_with_every_line_reported(db, tmp_path, rows, separator):
    factories.area("Herlev")
    lines = [separator.join(("area", "month", "closed", "total"))]
    lines += [separator.join(cell.replace(separator, " ") for cell in row) for row in rows]
    path = tmp_path / "figures.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _run("import_intake_closures", str(path))


def test_export_memo_for_any_date_in_range_answers(db, tmp_path):
    for day in ("0001-01-01", "1900-01-01", dt.date.today().isoformat(), "9999-12-31"):
        _run("export_memo", "--as-of", day, "--format", "json", "--output", str(tmp_path / "m"))
