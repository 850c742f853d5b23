"""Danish-aware text helpers: one slug rule for the whole portal."""

from django.utils.text import slugify

# The Danish transliteration (æ→ae, ø→oe, å→aa): høje-taastrup → hoeje-taastrup.
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slugify(name: str) -> str:
    return slugify(name.translate(_DANISH))


def fold(text: str) -> str:
    """Case-fold for matching that treats æ/ø/å like any other letter (on every database)."""
    return text.casefold().strip()


# Danish alphabetical order puts æ, ø, å after z, in that order (ä and ö sort with æ and ø).
_DANISH_ORDER = str.maketrans(
    {"æ": "z\x01", "ø": "z\x02", "å": "z\x03", "ä": "z\x01", "ö": "z\x02"}
)


def danish_key(name: str) -> str:
    """Sort key for Danish alphabetical order: Ærø after Zealand, Ølstykke before Aabenraa's å."""
    return fold(name).translate(_DANISH_ORDER)
