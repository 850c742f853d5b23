"""The region's list of posting channels, as the seed memo names them ("Kapaciteter bliver
opslået på regionens Min almen praksis-sektion, i nyhedsbrev fra Rekrutteringsfunktionen, i
Ugeskrift for Læger mv. Kommuner og PLO-H orienterer om opslag via deres kanaler til
lægerne."), and who may keep it: editors add and change channels, secretaries read them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Kapacitetsredaktør"
SECRETARY = "Udvalgssekretær"

CHANNELS = [
    ("Regionens Min almen praksis-sektion", "The region's Min almen praksis section"),
    ("Nyhedsbrev fra Rekrutteringsfunktionen", "The Recruitment Unit's newsletter"),
    ("Ugeskrift for Læger", "Ugeskrift for Læger (the Danish medical journal)"),
    ("PLO-H's kanaler til lægerne", "PLO-H's channels to doctors"),
    ("Kommunernes kanaler til lægerne", "The municipalities' channels to doctors"),
]
GRANTS = {
    EDITOR: ["add_postingchannel", "change_postingchannel", "view_postingchannel"],
    SECRETARY: ["view_postingchannel"],
}


def forwards(apps, schema_editor):
    Channel = apps.get_model("capacities", "PostingChannel")
    for order, (name_da, name_en) in enumerate(CHANNELS, start=1):
        Channel.objects.get_or_create(
            name_da=name_da, defaults={"name_en": name_en, "order": order}
        )
    app_config = apps.get_app_config("capacities")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="capacities", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("capacities", "0003_posting_application"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
