"""The memo's editable wording: which texts exist, which placeholders each may use, their
default (the seed memo's wording), and the one safe way to fill them.

A placeholder is `{name}`. A number may carry Danish singular and plural forms, with `#` where
the number goes: `{total:# kapacitet|# kapaciteter}` gives "1 kapacitet" or "3 kapaciteter";
a third form first is used for zero: `{remaining:ingen puljekapaciteter|# puljekapacitet|#
puljekapaciteter}`. Nothing else is allowed (no attribute access, no conversions), so an
edited text can never reach into Python objects.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

_FORMATTER = string.Formatter()


class Count(int):
    """A number that can be written with its noun in the right grammatical number."""

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(int(self))
        forms = spec.split("|")
        if len(forms) == 3:
            zero, one, many = forms
        elif len(forms) == 2:
            zero, (one, many) = None, forms
        else:
            raise ValueError(spec)
        number = int(self)
        if number == 0 and zero is not None:
            form = zero
        elif number == 1:
            form = one
        else:
            form = many
        return form.replace("#", str(number))


# Every placeholder the memo knows: a description for the admin, and whether it is a number.
PLACEHOLDERS: dict[str, tuple[str, bool]] = {
    "as_of": (_("the memo's date, e.g. 24. oktober 2024"), False),
    "as_of_without_year": (_("the memo's date without the year, e.g. 24. oktober"), False),
    "total": (_("the number of capacities in the section"), True),
    "count": (_("the number of capacities in the row"), True),
    "committee": (
        _(
            "the committee of the meeting that will decide, as in running text, e.g. "
            "udvalget for det nære og sammenhængende sundhedsvæsen"
        ),
        False,
    ),
    "meeting_date": (_("the date of the meeting that will decide, e.g. 18. november 2024"), False),
    "deadlines": (_("the application deadlines, e.g. 01.05.2025 og 01.09.2025"), False),
    "criteria_date": (
        _("the date of the pool criteria in force at the allocation, e.g. 21. november 2023"),
        False,
    ),
    "created_on": (_("the date the pool was created, e.g. 27. november 2019"), False),
    "created": (_("pool capacities created"), True),
    "allocated": (_("pool capacities allocated (not counting those awaiting posting)"), True),
    "allocated_awaiting_posting": (_("pool capacities allocated and awaiting posting"), True),
    "remaining": (_("pool capacities remaining in the reserve"), True),
    "areas": (_("the areas of the pool capacities awaiting posting, e.g. Herlev"), False),
    "year_start": (_("the first day of the memo's year, e.g. 1. januar 2024"), False),
    "returned": (_("capacities returned this year up to the memo's date"), True),
    "decided": (
        _("decisions this year to post, redistribute or allocate from the pool"),
        True,
    ),
    "posted": (_("capacities posted this year"), True),
    "granted": (_("capacities granted this year"), True),
    "lapsed": (_("grants lapsed this year"), True),
    "established": (_("capacities established this year"), True),
    "median": (
        _("median time from return to new practice of those established this year, e.g. 275 dage"),
        False,
    ),
    "completed": (_("returned capacities established this year (the median's basis)"), True),
    "open": (_("returned capacities still on their way on the memo's date"), True),
}

DATE = ("as_of", "as_of_without_year")
POOL = ("created_on", "created", "allocated", "allocated_awaiting_posting", "remaining", "areas")


@dataclass(frozen=True)
class Wording:
    key: str
    label: str
    placeholders: tuple[str, ...]
    default: str


WORDINGS: tuple[Wording, ...] = (
    Wording("title", _("Title"), (), "Oversigt over inaktive kapaciteter"),
    Wording(
        "intro",
        _("Introduction"),
        DATE,
        "Følgende bilag er en oversigt over inaktive kapaciteter. "
        "Oversigten er opdateret pr. {as_of}.",
    ),
    Wording(
        "a_heading",
        _("a. Heading"),
        ("total",),
        "Status på kapaciteter der afventer proces vedr. opslag eller eventuel omfordeling "
        "({total:# kapacitet|# kapaciteter})",
    ),
    Wording(
        "a_method",
        _("a. The method decision"),
        (),
        "Regionsrådet godkendte på møde d. 17. august 2021 regionens forslag til metode til "
        "vurdering af behovet for evt. omfordeling af tilbageleverede kapaciteter i almen "
        "praksis.",
    ),
    Wording(
        "a_meeting",
        _("a. Capacities awaiting decision, with the meeting that will decide"),
        (*DATE, "total", "committee", "meeting_date"),
        "Der er pr. {as_of_without_year} {total:# inaktiv kapacitet|# inaktive kapaciteter}, "
        "der afventer beslutning om omfordeling af kapaciteterne på mødet i {committee} den "
        "{meeting_date}. Regionen registrerer systematisk årsager til tilbageleveringer af "
        "kapaciteter.",
    ),
    Wording(
        "a_no_meeting",
        _("a. Capacities awaiting decision, no meeting set"),
        (*DATE, "total"),
        "Der er pr. {as_of_without_year} {total:ingen inaktive kapaciteter|# inaktiv "
        "kapacitet|# inaktive kapaciteter}, der afventer beslutning om opslag eller "
        "omfordeling. Regionen registrerer systematisk årsager til tilbageleveringer af "
        "kapaciteter.",
    ),
    Wording(
        "b_heading",
        _("b. Heading"),
        ("total",),
        "Kapaciteter, der er i opslag ({total:# kapacitet|# kapaciteter})",
    ),
    Wording(
        "b_channels",
        _("b. Where capacities are posted"),
        (),
        "Kapaciteter bliver opslået på regionens Min almen praksis-sektion, i nyhedsbrev fra "
        "Rekrutteringsfunktionen, i Ugeskrift for Læger mv.\n\n"
        "Kommuner og PLO-H orienterer om opslag via deres kanaler til lægerne.",
    ),
    Wording(
        "remark_posted_without_deadline",
        _("b. Remark: posted without deadline"),
        ("count",),
        "Kapacitet opslået uden frist. Eventuelle ansøgere vurderes løbende.",
    ),
    Wording(
        "remark_posted_with_deadline",
        _("b. Remark: posted with an application deadline"),
        ("count", "deadlines"),
        "Ansøgningsfrist {deadlines}.",
    ),
    Wording(
        "remark_awaiting_posting",
        _("b. Remark: decided to post, not yet posted"),
        ("count",),
        "Det er besluttet at slå {count:kapaciteten|de # kapaciteter} op. "
        "{count:Kapaciteten|Kapaciteterne} slås op snarligst.",
    ),
    Wording(
        "remark_pool_allocated",
        _("b. Remark: pool capacity allocated under revised criteria, awaiting posting"),
        ("count", "criteria_date"),
        "Der er udmøntet {count:en puljekapacitet|# puljekapaciteter} ud fra de reviderede "
        "kriterier, der blev vedtaget i udvalget den {criteria_date}. "
        "{count:Kapaciteten|Kapaciteterne} slås op snarligst.",
    ),
    Wording(
        "remark_pool_allocated_original",
        _("b. Remark: pool capacity allocated under the original criteria, awaiting posting"),
        ("count", "criteria_date"),
        "Der er udmøntet {count:en puljekapacitet|# puljekapaciteter} ud fra puljens "
        "kriterier fra den {criteria_date}. {count:Kapaciteten|Kapaciteterne} slås op "
        "snarligst.",
    ),
    Wording(
        "c_heading",
        _("c. Heading"),
        ("total",),
        "Status på tildelte kapaciteter ({total:# kapacitet|# kapaciteter})",
    ),
    Wording(
        "c_intro",
        _("c. Introduction"),
        ("total",),
        "Oversigt over de tildelte kapaciteter som afventer etablering, deres fordeling på "
        "planlægningsområder samt etableringsfrister.",
    ),
    Wording(
        "d_heading",
        _("d. Heading"),
        POOL,
        "Puljekapaciteter ({remaining:# kapacitet|# kapaciteter})",
    ),
    Wording(
        "d_history",
        _("d. The pool's history"),
        POOL,
        "Den {created_on} etablerede regionen {created} ekstra puljekapaciteter. Disse "
        "puljekapaciteter anvendes ved uforudsete lægedækningsudfordringer i geografiske "
        "områder. {allocated} af disse kapaciteter er udmøntet i områder, der på "
        "opgørelsestidspunktet havde haft mere end 75% lukket for patienttilgang i tre "
        "måneder, og ikke havde kapaciteter på vej til området.",
    ),
    Wording(
        "d_awaiting_posting",
        _("d. Pool capacities allocated and awaiting posting (left out when there are none)"),
        POOL,
        "Derudover er der tildelt {allocated_awaiting_posting:én puljekapacitet|# "
        "puljekapaciteter} til {areas}, der er på vej i opslag.",
    ),
    Wording(
        "d_remaining",
        _("d. Pool capacities remaining"),
        POOL,
        "Der er derfor fortsat {remaining:ingen puljekapaciteter|# puljekapacitet|# "
        "puljekapaciteter} tilbage.",
    ),
)

# The optional section e (memos.pipeline_section): the year's pipeline up to the memo's date.
PIPELINE = (
    *DATE,
    "year_start",
    "returned",
    "decided",
    "posted",
    "granted",
    "lapsed",
    "established",
    "median",
    "completed",
    "open",
)
WORDINGS += (
    Wording(
        "e_heading",
        _("e. Heading (optional section: the year's pipeline)"),
        PIPELINE,
        "Årets forløb for tilbageleverede kapaciteter",
    ),
    Wording(
        "e_pipeline",
        _("e. The year's pipeline (optional section)"),
        PIPELINE,
        "Fra {year_start} til {as_of} er {returned:ingen kapaciteter|# kapacitet|# "
        "kapaciteter} tilbageleveret, og der er truffet {decided:ingen beslutninger|# "
        "beslutning|# beslutninger} om opslag, omfordeling eller udmøntning fra puljen. "
        "{posted:Ingen kapaciteter er|# kapacitet er|# kapaciteter er} slået op, "
        "{granted:ingen er|# er|# er} tildelt, og {established:ingen er|# er|# er} etableret; "
        "{lapsed:ingen tildelinger er|# tildeling er|# tildelinger er} bortfaldet.\n\n"
        "Mediantiden fra tilbagelevering til ny praksis: {median} ({completed:ingen "
        "afsluttede forløb|# afsluttet forløb|# afsluttede forløb} i perioden). "
        "{open:Ingen tilbageleverede kapaciteter er|# tilbageleveret kapacitet er|# "
        "tilbageleverede kapaciteter er} stadig på vej til en ny læge.",
    ),
)

BY_KEY: dict[str, Wording] = {wording.key: wording for wording in WORDINGS}
DEFAULTS: dict[str, str] = {wording.key: wording.default for wording in WORDINGS}


def errors(key: str, text: str) -> list[str]:
    """Why the text cannot be used for this key (empty when it can)."""
    allowed = BY_KEY[key].placeholders
    allowed_text = ", ".join(f"{{{name}}}" for name in allowed) or _("none")
    try:
        fields = [(name, spec, conv) for _lit, name, spec, conv in _FORMATTER.parse(text) if name]
        positional = any(name == "" for _lit, name, _s, _c in _FORMATTER.parse(text))
    except ValueError:
        return [
            str(
                _(
                    "Curly braces must come in pairs around a placeholder, e.g. {total}. "
                    "Write {{ or }} for a brace of its own."
                )
            )
        ]
    problems: list[str] = []
    if positional:
        problems.append(
            str(_("An empty placeholder {} is not allowed. Allowed here: %(allowed)s."))
            % {"allowed": allowed_text}
        )
    for name, spec, conversion in fields:
        if name not in allowed:
            problems.append(
                str(_("Unknown placeholder {%(name)s}. Allowed here: %(allowed)s."))
                % {"name": name, "allowed": allowed_text}
            )
            continue
        if conversion:
            problems.append(
                str(_("Write the placeholder {%(name)s} without !%(conversion)s."))
                % {"name": name, "conversion": conversion}
            )
        if not spec:
            continue
        if not PLACEHOLDERS[name][1]:
            problems.append(
                str(
                    _(
                        "Only numbers can have singular and plural forms; {%(name)s} is not a "
                        "number. Write it as {%(name)s}."
                    )
                )
                % {"name": name}
            )
        elif "{" in spec or "}" in spec or spec.count("|") not in (1, 2):
            problems.append(
                str(
                    _(
                        "{%(name)s:%(spec)s} needs two forms, singular|plural, e.g. "
                        "{%(name)s:# kapacitet|# kapaciteter}, or three, none|one|several; "
                        "# stands for the number."
                    )
                )
                % {"name": name, "spec": spec}
            )
    return problems


def fill(key: str, text: str, values: Mapping[str, object]) -> str:
    """The text with its placeholders filled. The text must have passed `errors()`."""
    numbers = {
        name: Count(value) if PLACEHOLDERS[name][1] else value
        for name, value in values.items()
        if name in BY_KEY[key].placeholders
    }
    return _FORMATTER.vformat(text, (), numbers)


def usable(texts: Mapping[str, str]) -> dict[str, str]:
    """The stored texts, each replaced by its default when missing or unusable, so a memo can
    always be produced (the admin refuses bad texts; this guards against other writes)."""
    return {
        key: texts[key] if key in texts and not errors(key, texts[key]) else default
        for key, default in DEFAULTS.items()
    }


def describe(keys: Iterable[str]) -> list[tuple[str, str]]:
    """The placeholders `{name}` and their descriptions, for the admin's help."""
    return [(f"{{{name}}}", str(PLACEHOLDERS[name][0])) for name in keys]
