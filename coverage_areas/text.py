"""Danish-aware text helpers: one slug rule for the whole portal."""

from django.utils.text import slugify

# The Danish transliteration (æ→ae, ø→oe, å→aa): høje-taastrup → hoeje-taastrup.
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slugify(name: str) -> str:
    return slugify(name.translate(_DANISH))


def fold(text: str) -> str:
    """Case-fold for matching that treats æ/ø/å like any other letter (on every database)."""
    return text.casefold().strip()
