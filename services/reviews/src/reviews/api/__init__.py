"""The reviews service's HTTP API: one router per part of the review."""
