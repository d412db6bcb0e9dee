"""The placements service's HTTP API: one router per part of the process."""
