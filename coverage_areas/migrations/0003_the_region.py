"""The region's profile, one row, with the default way to apply for a posting; editors
change it, secretaries read it (nobody adds a second one or deletes it)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Kapacitetsredaktør"
SECRETARY = "Udvalgssekretær"

PROCEDURE_DA = (
    "Send din ansøgning til regionen og skriv, hvilket opslag du søger. Er der ingen "
    "ansøgningsfrist, vurderes ansøgere løbende."
)
PROCEDURE_EN = (
    "Send your application to the region and say which posting you apply for. Where there is "
    "no application deadline, applicants are assessed on a rolling basis."
)
GRANTS = {
    EDITOR: ["change_regionprofile", "view_regionprofile"],
    SECRETARY: ["view_regionprofile"],
}


def forwards(apps, schema_editor):
    Region = apps.get_model("coverage_areas", "RegionProfile")
    Region.objects.get_or_create(
        pk=1,
        defaults={
            "name": "Region Hovedstaden",
            "application_procedure_da": PROCEDURE_DA,
            "application_procedure_en": PROCEDURE_EN,
        },
    )
    app_config = apps.get_app_config("coverage_areas")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="coverage_areas", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coverage_areas", "0002_region_profile"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
