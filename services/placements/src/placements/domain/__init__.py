"""The placements domain: settings and capacity, requests, consultations, options considered,
panels, offers, placements, phase transfers and statutory clocks.

Pure: no I/O, no clock, no randomness. "Now" is always an argument. Given the same recorded
inputs, every function here gives the same answer, so an auditor can re-derive any decision.
"""
