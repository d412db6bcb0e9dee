"""Funding: High Needs Funding and SENIF decisions."""
