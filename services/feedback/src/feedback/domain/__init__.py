"""The feedback domain: surveys and forum items, responses with consent, moderation into themes,
"You said, we did" actions, invitations caused by other services' events, and published figures
under disclosure control.

Pure: no I/O, no clock, no randomness. Free text is handed back to the caller to store encrypted;
the domain's records hold only codes and pseudonymous ids.
"""
