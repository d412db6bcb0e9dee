"""One function per command or consumed event, each working in one unit of work."""
