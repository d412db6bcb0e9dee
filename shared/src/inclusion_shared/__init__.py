"""The thin platform kit every Inclusion service uses: event contracts, outbox, relay, inbox,
hash chain, migrations, settings, logging, tracing, HTTP and authentication."""
