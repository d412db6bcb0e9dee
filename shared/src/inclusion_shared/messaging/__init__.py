"""Kafka: the producer, topic creation, the outbox relay and the inbox consumer."""
