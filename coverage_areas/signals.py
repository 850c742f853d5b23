"""What the designation register announces, for the apps built on it (alerts tell doctors).
Sent by coverage_areas.services once the change has committed, never from a model's save()."""

from django.dispatch import Signal

# A regional or national list is decided, or a decided list's areas changed. Arguments:
# round_id, joined (area ids that are on it now and were not before the change), left (area
# ids that were on it before the change and are not now).
list_decided = Signal()
