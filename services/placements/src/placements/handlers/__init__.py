"""One function per command, each inside the unit of work it is given."""
