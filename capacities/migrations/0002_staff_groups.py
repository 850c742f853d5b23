"""The two staff groups of CONTRACT.md, with their permissions.

Editors (Kapacitetsredaktør) keep the register: they add, change and view capacities, areas,
committees, meetings, the pool, designations and benefits, and run transitions (which needs
change_capacity). Nothing is deleted from the register, so neither group may delete.
Committee secretaries (Udvalgssekretær) view everything and export; they change nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Kapacitetsredaktør"
SECRETARY = "Udvalgssekretær"

EDITED = {
    "capacities": ["capacity", "committee", "committeemeeting", "pool", "poolcriteriarevision"],
    "coverage_areas": ["planningarea", "designationround", "designation", "benefit"],
}
VIEWED_ONLY = {"capacities": ["transition"]}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so they can be granted.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(app_label, model, actions):
        return Permission.objects.filter(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model}" for action in actions],
        )

    editor, _ = Group.objects.get_or_create(name=EDITOR)
    secretary, _ = Group.objects.get_or_create(name=SECRETARY)
    for app_label, models in EDITED.items():
        for model in models:
            editor.permissions.add(*perms(app_label, model, ["add", "change", "view"]))
            secretary.permissions.add(*perms(app_label, model, ["view"]))
    for app_label, models in VIEWED_ONLY.items():
        for model in models:
            editor.permissions.add(*perms(app_label, model, ["view"]))
            secretary.permissions.add(*perms(app_label, model, ["view"]))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, SECRETARY]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("capacities", "0001_initial"),
        ("coverage_areas", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
