"""The Kent demo: pseudonymous demo data generated from a seed, and a scenario that drives every
service of a running suite over HTTP, as its users would, idempotently.

`data` makes the data (pure), `suite` speaks HTTP with dev tokens and Idempotency-Keys, `cases`
holds the multi-step cases (a placement from request to start, a review to follow-up) that the
scenario and the end-to-end tests share, `scenario` runs the story, `report` prints it.
"""
