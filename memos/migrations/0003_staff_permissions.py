"""Who may do what with the memo.

Editors (Kapacitetsredaktør) and committee secretaries (Udvalgssekretær) both export the memo
and issue it: issuing files what is sent to the committee, which is the secretaries' job, and
it changes nothing in the register. Editors edit the memo's wording; secretaries read it.
Nobody changes or deletes an issued memo (the admin offers neither, not even to superusers).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Kapacitetsredaktør"
SECRETARY = "Udvalgssekretær"

GRANTS = {
    EDITOR: ["export_memo", "add_issuedmemo", "view_issuedmemo", "change_memowording",
             "view_memowording"],
    SECRETARY: ["export_memo", "add_issuedmemo", "view_issuedmemo", "view_memowording"],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so they can be granted.
    app_config = apps.get_app_config("memos")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="memos", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="memos", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("memos", "0002_default_wording"),
        ("capacities", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
