"""The monitoring model in the domain's words: periods, places, figures and how each is
published under disclosure control. No I/O."""
