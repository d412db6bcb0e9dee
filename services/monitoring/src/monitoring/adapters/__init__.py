"""What monitoring reads and writes: its model in PostgreSQL, and the identity provider."""
