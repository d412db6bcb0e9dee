"""Every event contract of the suite, by service. Importing this package registers them all in
``inclusion_shared.events.registry.CONTRACTS``; each service adds its module here."""
