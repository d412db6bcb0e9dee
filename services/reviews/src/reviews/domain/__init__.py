"""The reviews domain: peer-to-peer SEN review cycles, modelled on the Whole School SEND review.

Pure: no I/O, no clock, no randomness. Dates such as "today" are arguments, so every answer can be
re-derived from the recorded inputs.
"""
