"""One function per command or consumed event, each inside the unit of work it is given."""
