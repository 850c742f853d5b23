"""The people every test can use, and small factories that build data through the services."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

EDITOR_GROUP = "Kapacitetsredaktør"
SECRETARY_GROUP = "Udvalgssekretær"


def _user(username: str, *, group: str | None = None, staff: bool = True, superuser=False):
    user = get_user_model().objects.create_user(
        username=username, password="pw-for-tests-only", is_staff=staff, is_superuser=superuser
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return _user("editor", group=EDITOR_GROUP)


@pytest.fixture
def secretary(db):
    return _user("secretary", group=SECRETARY_GROUP)


@pytest.fixture
def outsider(db):
    """Logged in, but neither staff nor in a group."""
    return _user("outsider", staff=False)


@pytest.fixture
def superuser(db):
    return _user("root", superuser=True)


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def secretary_client(secretary) -> Client:
    client = Client()
    client.force_login(secretary)
    return client


@pytest.fixture
def superuser_client(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def demo(db):
    """The region's demo data as the seed records it, up to the memo of 24 October 2024: the
    illustrative continuation up to the load date is left out, so that tests pinning "today"
    to any date see the same data whenever they run (tests of the continuation load it with
    a date of their own)."""
    from capacities import demo as demo_data
    from capacities.demo_recent import SEED_DAY

    return demo_data.load(today=SEED_DAY)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests only need it to be a hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Production serves hashed files from `collectstatic`'s manifest; tests have not run
    # collectstatic, so they use the plain storage that finds files in place.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # In CI every test must run: a skip there (a missing browser, database or library) would
    # hide exactly what CI is for, so it counts as a failure.
    report = yield
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {report.longrepr}"
    return report


@pytest.fixture(autouse=True, scope="session")
def _signal_folder_of_this_run(tmp_path_factory):
    """The data-version counters (VERSION_SIGNAL_DIR) of this run in a folder of its own, for
    the tests and the servers they start (which inherit the environment): not in the machine's
    /dev/shm, where they would outlive the run and be shared with another run on the same
    database file."""
    from django.conf import settings

    folder = str(tmp_path_factory.mktemp("version-signal"))
    before = os.environ.get("VERSION_SIGNAL_DIR"), settings.VERSION_SIGNAL_DIR
    os.environ["VERSION_SIGNAL_DIR"] = settings.VERSION_SIGNAL_DIR = folder
    yield folder
    if before[0] is None:
        del os.environ["VERSION_SIGNAL_DIR"]
    else:
        os.environ["VERSION_SIGNAL_DIR"] = before[0]
    settings.VERSION_SIGNAL_DIR = before[1]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test starts with a fresh database, so a page cached by an earlier test under the
    # same data version would be another test's data.
    from django.core.cache import cache

    from portal.cache import forget_version
    from portal.early import STORE

    cache.clear()
    STORE.clear()
    forget_version()


@pytest.fixture(autouse=True)
def _danish_by_default():
    # A request under /en/ leaves English active in the thread; every test starts in the
    # portal's default language, as a new request would.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
