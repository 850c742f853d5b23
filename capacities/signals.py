"""What the register announces, for the apps built on it to act on (alerts mail doctors, for
example). The services send these themselves, once the transaction has committed; nothing is
sent from a model's save(). Receivers connect from their own app's `ready()`, so the register
never imports the apps above it."""

from django.dispatch import Signal

# A transition was committed. Arguments: capacity_id, action, from_status, to_status.
transition_committed = Signal()

# A capacity became publicly posted (post, or a lapsed grant posted again). Argument:
# capacity_id. A receiver's failure never undoes the posting; it is logged.
posting_opened = Signal()
