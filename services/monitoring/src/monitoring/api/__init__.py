"""HTTP: the pages, the downloads, and signing in from a browser."""
