"""The audit report as a person reads it (and the same as JSON for machines)."""

from __future__ import annotations

from inclusion_cli.audit.findings import AuditReport, Finding


def render_text(report: AuditReport, deployment: str) -> str:
    lines = [f"Decision log of deployment '{deployment}': {report.records_read} records read", ""]
    lines.append(
        f"{'service':<12}{'events':>8}{'redelivered':>13}{'signed to':>11}{'unsigned':>10}"
        f"{'decisions':>11}{'commitments':>13}"
    )
    for name, chain in sorted(report.chains.items()):
        lines.append(
            f"{name:<12}{chain.events:>8}{chain.exact_duplicates:>13}{chain.signed_through:>11}"
            f"{chain.unsigned_tail:>10}{chain.decisions_rederived:>11}"
            f"{chain.commitments_rechecked:>13}"
        )
    lines.append(
        "(decisions: re-derived by the rules in force; commitments: budget and capacity re-checked)"
    )
    for name, chain in sorted(report.chains.items()):
        if chain.erasures:
            lines.append(
                f"{name}: {chain.erasures} person(s)' details erased (crypto-shredded): shown "
                "as redacted; the events about them carry no personal data and verify"
            )
    if report.decisions_by_district:
        lines += ["", "Decisions by district:"]
        lines += [
            f"  {district:<24}{count:>6}"
            for district, count in sorted(report.decisions_by_district.items())
        ]
    for warning in report.warnings:
        lines.append(f"note: {warning.service}: {warning.message}")
    lines.append("")
    first = report.first_divergence
    if first is None:
        lines.append(
            "PASSED: every hash recomputes and links, checkpoints verify, decisions re-derive."
        )
    else:
        lines.append(f"FAILED: {len(report.failures)} problem(s); the first divergence:")
        lines += ["  " + line for line in describe(first)]
    return "\n".join(lines)


def describe(finding: Finding) -> list[str]:
    where = [f"service {finding.service}"]
    if finding.position is not None:
        where.append(f"chain position {finding.position}")
    if finding.location is not None:
        where.append(f"at {finding.location}")
    lines = [f"{finding.kind}: {finding.message}", ", ".join(where)]
    if finding.expected is not None or finding.actual is not None:
        lines += [f"expected: {finding.expected}", f"actual:   {finding.actual}"]
    return lines
