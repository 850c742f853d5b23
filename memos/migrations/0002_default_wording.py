"""The memo's default wording, as the secretaries wrote it in the memo of 24 October 2024, so
a fresh database produces the memo without anyone typing it. A copy, not an import of
memos.wording: a migration must keep meaning what it meant when it was written."""

from django.db import migrations

DEFAULTS = {
    'title': (
        'Oversigt over inaktive kapaciteter'
    ),
    'intro': (
        'Følgende bilag er en oversigt over inaktive kapaciteter. Oversigten er opdateret'
        ' pr. {as_of}.'
    ),
    'a_heading': (
        'Status på kapaciteter der afventer proces vedr. opslag eller eventuel '
        'omfordeling ({total:# kapacitet|# kapaciteter})'
    ),
    'a_method': (
        'Regionsrådet godkendte på møde d. 17. august 2021 regionens forslag til metode '
        'til vurdering af behovet for evt. omfordeling af tilbageleverede kapaciteter i '
        'almen praksis.'
    ),
    'a_meeting': (
        'Der er pr. {as_of_without_year} {total:# inaktiv kapacitet|# inaktive '
        'kapaciteter}, der afventer beslutning om omfordeling af kapaciteterne på mødet i'
        ' {committee} den {meeting_date}. Regionen registrerer systematisk årsager til '
        'tilbageleveringer af kapaciteter.'
    ),
    'a_no_meeting': (
        'Der er pr. {as_of_without_year} {total:ingen inaktive kapaciteter|# inaktiv '
        'kapacitet|# inaktive kapaciteter}, der afventer beslutning om opslag eller '
        'omfordeling. Regionen registrerer systematisk årsager til tilbageleveringer af '
        'kapaciteter.'
    ),
    'b_heading': (
        'Kapaciteter, der er i opslag ({total:# kapacitet|# kapaciteter})'
    ),
    'b_channels': (
        'Kapaciteter bliver opslået på regionens Min almen praksis-sektion, i nyhedsbrev '
        'fra Rekrutteringsfunktionen, i Ugeskrift for Læger mv.\n\nKommuner og PLO-H '
        'orienterer om opslag via deres kanaler til lægerne.'
    ),
    'remark_posted_without_deadline': (
        'Kapacitet opslået uden frist. Eventuelle ansøgere vurderes løbende.'
    ),
    'remark_posted_with_deadline': (
        'Ansøgningsfrist {deadlines}.'
    ),
    'remark_awaiting_posting': (
        'Det er besluttet at slå {count:kapaciteten|de # kapaciteter} op. '
        '{count:Kapaciteten|Kapaciteterne} slås op snarligst.'
    ),
    'remark_pool_allocated': (
        'Der er udmøntet {count:en puljekapacitet|# puljekapaciteter} ud fra de '
        'reviderede kriterier, der blev vedtaget i udvalget den {criteria_date}. '
        '{count:Kapaciteten|Kapaciteterne} slås op snarligst.'
    ),
    'remark_pool_allocated_original': (
        'Der er udmøntet {count:en puljekapacitet|# puljekapaciteter} ud fra puljens '
        'kriterier fra den {criteria_date}. {count:Kapaciteten|Kapaciteterne} slås op '
        'snarligst.'
    ),
    'c_heading': (
        'Status på tildelte kapaciteter ({total:# kapacitet|# kapaciteter})'
    ),
    'c_intro': (
        'Oversigt over de tildelte kapaciteter som afventer etablering, deres fordeling '
        'på planlægningsområder samt etableringsfrister.'
    ),
    'd_heading': (
        'Puljekapaciteter ({remaining:# kapacitet|# kapaciteter})'
    ),
    'd_history': (
        'Den {created_on} etablerede regionen {created} ekstra puljekapaciteter. Disse '
        'puljekapaciteter anvendes ved uforudsete lægedækningsudfordringer i geografiske '
        'områder. {allocated} af disse kapaciteter er udmøntet i områder, der på '
        'opgørelsestidspunktet havde haft mere end 75% lukket for patienttilgang i tre '
        'måneder, og ikke havde kapaciteter på vej til området.'
    ),
    'd_awaiting_posting': (
        'Derudover er der tildelt {allocated_awaiting_posting:én puljekapacitet|# '
        'puljekapaciteter} til {areas}, der er på vej i opslag.'
    ),
    'd_remaining': (
        'Der er derfor fortsat {remaining:ingen puljekapaciteter|# puljekapacitet|# '
        'puljekapaciteter} tilbage.'
    ),
}


def create_wording(apps, schema_editor):
    MemoWording = apps.get_model("memos", "MemoWording")
    for key, text in DEFAULTS.items():
        MemoWording.objects.get_or_create(key=key, defaults={"text": text})


def remove_wording(apps, schema_editor):
    apps.get_model("memos", "MemoWording").objects.filter(key__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("memos", "0001_initial")]

    operations = [migrations.RunPython(create_wording, remove_wording)]
