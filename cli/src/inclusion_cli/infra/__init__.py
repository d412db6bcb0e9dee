"""Real local infrastructure: an Apache Kafka broker and a PostgreSQL cluster."""
