"""PostgreSQL: connection pools, versioned migrations, the outbox and the inbox."""
