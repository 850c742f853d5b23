"""Both staff groups may see the subscriptions (to answer a doctor's question); neither may
change them: a subscription is made and ended only by the doctor, through mailed links."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Kapacitetsredaktør", "Udvalgssekretær"]


def grant_view(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so they can be granted.
    app_config = apps.get_app_config("alerts")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(
        content_type__app_label="alerts", codename="view_subscription"
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(view)


def revoke_view(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="alerts", codename="view_subscription"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("capacities", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_view, revoke_view)]
