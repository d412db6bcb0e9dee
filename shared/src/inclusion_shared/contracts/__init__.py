"""Every event contract of the suite, by service. Importing this package registers them all in
``inclusion_shared.events.registry.CONTRACTS``; each service adds its module here."""

from inclusion_shared.contracts import feedback, funding, placements, reviews

__all__ = ["feedback", "funding", "placements", "reviews"]
