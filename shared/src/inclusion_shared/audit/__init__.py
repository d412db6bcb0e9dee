"""The auditable decision log: signed checkpoints of each service's hash chain."""
