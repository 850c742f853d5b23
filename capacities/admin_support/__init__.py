"""What the admin needs beyond plain ModelAdmin options: the transition pages and actions,
readable history, Danish-aware search and the staff dashboard."""
