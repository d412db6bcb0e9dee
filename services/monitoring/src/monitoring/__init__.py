"""Monitoring: the read side for Area Boards and officers, built from the suite's events."""
