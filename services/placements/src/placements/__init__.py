"""Placements: settings, consultations and transitions."""
