from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

DEMO_PASSWORD = "kapacitet-demo"
DEMO_STAFF = [
    ("redaktoer", "Kapacitetsredaktør", False),
    ("sekretaer", "Udvalgssekretær", False),
    ("admin", None, True),
]


class Command(BaseCommand):
    help = "Create demo staff users with a known password. Refused unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo staff users have a known password and are only made with DEBUG on. "
                "In production create staff with: python manage.py createsuperuser"
            )
        User = get_user_model()
        for username, group, superuser in DEMO_STAFF:
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
        self.stdout.write(
            "Demo staff (DEBUG only): log in at /admin/ as redaktoer (editor), sekretaer "
            f"(committee secretary) or admin (superuser), password {DEMO_PASSWORD!r}."
        )
