"""Structured logs and OpenTelemetry tracing."""
