from __future__ import annotations

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import get_script_prefix
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

NATIVE_NAMES = {"da": "Dansk", "en": "English"}


def url_in_language(request, target: str) -> str:
    """The same page in another language. The Danish and English sites have the same paths,
    the English ones under /en/ (i18n_patterns, no prefix for Danish), so this also works on
    a 404 page, where no URL pattern matched."""
    path = request.path_info if request is not None else "/"
    current = get_language() or settings.LANGUAGE_CODE
    if current != settings.LANGUAGE_CODE and path.startswith(f"/{current}/"):
        path = path[len(current) + 1 :]
    if target != settings.LANGUAGE_CODE:
        path = f"/{target}{path}"
    query = request.META.get("QUERY_STRING", "") if request is not None else ""
    return get_script_prefix().rstrip("/") + path + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def other_languages(context) -> list[dict[str, str]]:
    request = context.get("request")
    current = get_language() or settings.LANGUAGE_CODE
    return [
        {"code": code, "name": NATIVE_NAMES.get(code, code), "url": url_in_language(request, code)}
        for code, _name in settings.LANGUAGES
        if code != current
    ]


@register.simple_tag(takes_context=True)
def all_language_urls(context) -> list[dict[str, str]]:
    request = context.get("request")
    if request is None:
        return []
    try:
        return [
            {"code": code, "url": request.build_absolute_uri(url_in_language(request, code))}
            for code, _name in settings.LANGUAGES
        ]
    except DisallowedHost:
        # The 400 page for a Host not in ALLOWED_HOSTS: it must render, without alternates.
        return []


def join_names(names: list[str]) -> str:
    """ "A, B and C" in the active language ("A, B og C")."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


@register.simple_tag
def changes_sentence(item) -> str:
    """The change of a regional list from the year before, as the region's page words it."""
    changes = item.changes
    values = {
        "left": join_names(changes.left),
        "joined": join_names(changes.joined),
        "previous": changes.previous_year,
        "year": item.year,
    }
    if changes.left and changes.joined:
        text = _(
            "%(left)s went from being coverage-threatened in %(previous)s to not being so in "
            "%(year)s, while %(joined)s went from not being coverage-threatened in "
            "%(previous)s to being so in %(year)s."
        )
    elif changes.left:
        text = _(
            "%(left)s went from being coverage-threatened in %(previous)s to not being so in "
            "%(year)s."
        )
    elif changes.joined:
        text = _(
            "%(joined)s went from not being coverage-threatened in %(previous)s to being so "
            "in %(year)s."
        )
    else:
        text = _("The list is the same as in %(previous)s.")
    return text % values


@register.filter
def kind_label(kind: str) -> str:
    return {"regional": _("regional"), "national": _("national")}.get(kind, kind)
