"""The funding domain: policy as versioned data, applications, rules and decisions.

Pure: no I/O, no clock, no randomness. Given the same recorded inputs and policy version, every
function here gives the same answer, so an auditor can re-derive any recorded decision.
"""
