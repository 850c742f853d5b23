from django.core.management.base import BaseCommand

from alerts.mail import send_alerts
from capacities.models import Capacity


class Command(BaseCommand):
    help = (
        "Send the alerts of every open posting that have not gone out yet (after the mail "
        "server was down). Nobody gets a posting twice, and nobody gets one posted before "
        "they subscribed."
    )

    def handle(self, *args, **options) -> None:
        sent = 0
        postings = Capacity.objects.open_postings().values_list("pk", flat=True)
        for capacity_id in postings:
            sent += send_alerts(capacity_id).sent
        self.stdout.write(f"{sent} alert(s) sent for {len(postings)} open posting(s).")
