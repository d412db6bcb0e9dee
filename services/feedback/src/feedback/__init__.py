"""Feedback: the stakeholder forum."""
