from django import template
from django.utils.translation import get_language

from common.text import short_month as short_month_text

register = template.Library()


@register.filter
def short_month(month) -> str:
    """A month as a chart's axis writes it, in the page's language ('sep 24')."""
    return short_month_text(month, get_language() or "da")
