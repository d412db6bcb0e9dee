"""HTTP: authentication, RFC 9457 problem responses, health endpoints, the app factory."""
