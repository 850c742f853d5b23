"""Who may do what with intake-closure figures: editors (Kapacitetsredaktør) import and
correct them; committee secretaries (Udvalgssekretær) read them and the eligibility page.
Nobody deletes (the admin offers no delete)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Kapacitetsredaktør"
SECRETARY = "Udvalgssekretær"

GRANTS = {
    EDITOR: ["add_intakeclosure", "change_intakeclosure", "view_intakeclosure"],
    SECRETARY: ["view_intakeclosure"],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so they can be granted.
    app_config = apps.get_app_config("shortage")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="shortage", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="shortage", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("shortage", "0001_initial"),
        ("capacities", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
