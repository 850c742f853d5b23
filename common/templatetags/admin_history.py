from django import template

from common.admin_history import person as person_name

register = template.Library()


@register.filter
def person(user) -> str:
    """A user as staff see them everywhere in the admin (full name, else username)."""
    return person_name(user)
