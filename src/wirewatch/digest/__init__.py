"""The Daily Update: the must-read digest, its delivery by mail, and saved-search alerts.

- ``tokens``: signed links in mails (confirm, preferences, unsubscribe).
- ``selection``: the must-read score, the sections, each reader's cut of an edition.
- ``rendering``: the mails (HTML with inlined CSS and plain text) from templates.
- ``mailer``: SMTP delivery: one connection per batch, retries, rate limit.
- ``sending``: the coordinator: the send log (each digest exactly once), the schedule.
- ``alerts``: saved searches that alert by mail or signed webhook.
- ``webhooks``: where an alert's webhook may go (no private addresses), the guarded client.
"""
