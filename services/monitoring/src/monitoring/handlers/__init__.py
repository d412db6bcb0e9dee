"""One function per consumed event: what the event tells, written into the model."""
