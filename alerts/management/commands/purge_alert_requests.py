from django.core.management.base import BaseCommand

from alerts.services import purge_expired


class Command(BaseCommand):
    help = (
        "Forget expired alert requests: addresses that never confirmed within the link's "
        "seven days are deleted, expired requests to change a confirmed subscription are "
        "dropped, and the log the form's limits count is cut to the last day. Run it daily "
        "from cron, e.g. `15 3 * * * python manage.py purge_alert_requests`."
    )

    def handle(self, *args, **options) -> None:
        unconfirmed, pending, log_rows = purge_expired()
        self.stdout.write(
            f"{unconfirmed} unconfirmed address(es) deleted, {pending} expired change "
            f"request(s) dropped, {log_rows} request log row(s) removed."
        )
