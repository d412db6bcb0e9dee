"""Event contracts: the CloudEvents envelope, the topic catalogue, the registry of event types."""
