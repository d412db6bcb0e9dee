"""Reads the model as tallies: for each figure, how many facts of each kind per place and
month (with the sum of the measure that goes with them). The figures are worked out from these
in ``monitoring.domain.tables``; each figure's method page shows its query."""

from __future__ import annotations

from typing import NamedTuple

from inclusion_shared.persistence.pool import Connection
from monitoring.domain.places import Level, Place, Scope
from monitoring.domain.tables import Tally

# Every query answers: area, district, community, category, measure, month, n, amount.
# `community_of` joins a fact's setting to the registry for its Community of Schools.
MONTH = "date_trunc('month', {0})::date"

SOURCES: dict[str, str] = {
    "funding-applications": f"""
        SELECT a.area, a.district, s.community, a.scheme AS category, '' AS measure,
               {MONTH.format("a.submitted_on")} AS month, count(*) AS n, 0 AS amount
        FROM funding_applications a LEFT JOIN settings s USING (setting_id)
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "funding-decisions": f"""
        SELECT d.area, d.district, s.community, d.outcome AS category, '' AS measure,
               {MONTH.format("d.decided_on")} AS month, count(*) AS n, 0 AS amount
        FROM funding_decisions d LEFT JOIN settings s USING (setting_id)
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "funding-timeliness": f"""
        SELECT d.area, d.district, s.community,
               CASE WHEN d.target_breached IS NULL THEN 'no-target'
                    WHEN d.target_breached THEN 'outside-target'
                    ELSE 'within-target' END AS category, '' AS measure,
               {MONTH.format("d.decided_on")} AS month, count(*) AS n,
               coalesce(sum(d.days_to_decision), 0) AS amount
        FROM funding_decisions d LEFT JOIN settings s USING (setting_id)
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "funding-budget": """
        SELECT area, NULL AS district, NULL AS community, category, '' AS measure,
               make_date(split_part(financial_year, '-', 1)::int, 4, 1) AS month,
               sum(n) AS n, sum(amount) AS amount
        FROM (
            SELECT area, financial_year, 'budget' AS category, 0 AS n,
                   annual_amount_pence AS amount
            FROM funding_budgets
            UNION ALL
            SELECT area, financial_year, 'committed', 1, amount_pence FROM funding_commitments
            UNION ALL
            SELECT area, financial_year, 'released', 1, amount_pence FROM funding_releases
        ) money
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "funding-challenges": f"""
        SELECT c.area, c.district, s.community, coalesce(c.result, 'awaiting') AS category,
               '' AS measure, {MONTH.format("c.lodged_on")} AS month, count(*) AS n, 0 AS amount
        FROM funding_challenges c
        LEFT JOIN funding_decisions d USING (decision_id)
        LEFT JOIN settings s ON s.setting_id = d.setting_id
        WHERE c.lodged_on IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "placements-requests": f"""
        SELECT area, district, NULL AS community, provision_sought AS category, '' AS measure,
               {MONTH.format("received_on")} AS month, count(*) AS n, 0 AS amount
        FROM placement_requests
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "placements-consultations": f"""
        SELECT s.area, s.district, s.community,
               CASE WHEN c.answered_on IS NOT NULL AND c.on_time THEN 'on-time'
                    WHEN c.answered_on IS NOT NULL THEN 'late'
                    WHEN c.overdue THEN 'overdue'
                    ELSE 'awaiting' END AS category, '' AS measure,
               {MONTH.format("c.sent_on")} AS month, count(*) AS n, 0 AS amount
        FROM consultations c LEFT JOIN settings s USING (setting_id)
        WHERE c.sent_on IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "placements-transfers": f"""
        SELECT p.area, p.district, s.community,
               (CASE WHEN t.breached THEN 'missed' ELSE 'met' END)
               || (CASE WHEN EXISTS (
                       SELECT FROM clock_exceptions e
                       WHERE e.subject_id = t.placement_id AND e.clock = t.clock)
                   THEN '-excepted' ELSE '' END) AS category, '' AS measure,
               {MONTH.format("t.due_on")} AS month, count(*) AS n, 0 AS amount
        FROM transfer_clocks t
        LEFT JOIN placements p USING (placement_id)
        LEFT JOIN settings s ON s.setting_id = p.setting_id
        WHERE t.breached OR EXISTS (
            SELECT FROM amended_plans a
            WHERE a.placement_id = t.placement_id AND a.issued_on <= t.due_on
              AND a.issued_on > t.due_on - interval '1 year')
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "placements-assessments": f"""
        SELECT a.area, a.district, NULL AS community,
               (CASE WHEN a.final_issued_on <= a.requested_on + 140 THEN 'met' ELSE 'missed' END)
               || (CASE WHEN EXISTS (
                       SELECT FROM clock_exceptions e
                       WHERE e.subject_id = a.assessment_id AND e.clock = 'final_ehcp')
                   THEN '-excepted' ELSE '' END) AS category, '' AS measure,
               {MONTH.format("a.final_issued_on")} AS month, count(*) AS n,
               sum(a.final_issued_on - a.requested_on) AS amount
        FROM assessments a
        WHERE a.final_issued_on IS NOT NULL AND a.requested_on IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "placements-sufficiency": """
        SELECT c.area, c.district, s.community, need AS category, 'places' AS measure,
               make_date(split_part(c.academic_year, '-', 1)::int, 9, 1) AS month,
               sum(c.places) AS n, 0 AS amount
        FROM capacities c
        JOIN settings s USING (setting_id)
        CROSS JOIN LATERAL unnest(s.designation) AS need
        WHERE c.setting_type IN ('srp', 'special')
        GROUP BY 1, 2, 3, 4, 5, 6
        UNION ALL
        SELECT area, district, NULL, need_type, 'requests',
               make_date(split_part(academic_year, '-', 1)::int, 9, 1), count(*), 0
        FROM placement_requests
        WHERE provision_sought IN ('srp', 'special')
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "placements-moves": f"""
        SELECT p.area, p.district, s.community,
               CASE WHEN p.transfer IS NOT NULL THEN 'phase-transfer'
                    ELSE 'other-move' END AS category, '' AS measure,
               {MONTH.format("p.starts_on")} AS month, count(*) AS n, 0 AS amount
        FROM placements p LEFT JOIN settings s USING (setting_id)
        WHERE p.moved
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "placements-started": f"""
        SELECT p.area, p.district, s.community, s.setting_type AS category,
               '' AS measure, {MONTH.format("p.starts_on")} AS month, count(*) AS n, 0 AS amount
        FROM placements p JOIN settings s USING (setting_id)
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "reviews-cycles": f"""
        SELECT area, district, community, 'cycles' AS category, '' AS measure,
               {MONTH.format("opened_on")} AS month, count(*) AS n, 0 AS amount
        FROM review_cycles
        GROUP BY 1, 2, 3, 4, 5, 6
        UNION ALL
        SELECT r.area, r.district, coalesce(r.community, c.community, s.community),
               CASE WHEN r.followed_up_on IS NOT NULL THEN 'followed-up' ELSE 'under-way' END,
               '', {MONTH.format("r.scheduled_on")}, count(*), 0
        FROM reviews r
        LEFT JOIN review_cycles c USING (cycle_id)
        LEFT JOIN settings s ON s.setting_id = r.setting_id
        WHERE r.scheduled_on IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "reviews-actions": f"""
        SELECT a.area, a.district,
               coalesce(r.community, c.community, s.community) AS community,
               CASE WHEN a.completed_on IS NOT NULL AND NOT a.late THEN 'on-time'
                    WHEN a.completed_on IS NOT NULL THEN 'late'
                    WHEN a.overdue THEN 'overdue'
                    ELSE 'open' END AS category, '' AS measure,
               {MONTH.format("a.agreed_on")} AS month, count(*) AS n, 0 AS amount
        FROM review_actions a
        LEFT JOIN reviews r USING (review_id)
        LEFT JOIN review_cycles c ON c.cycle_id = r.cycle_id
        LEFT JOIN settings s ON s.setting_id = r.setting_id
        WHERE a.agreed_on IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "reviews-themes": f"""
        SELECT p.area, p.district,
               coalesce(r.community, c.community, s.community) AS community,
               named.area_of_review AS category, named.kind AS measure,
               {MONTH.format("p.issued_on")} AS month, count(*) AS n, 0 AS amount
        FROM review_reports p
        CROSS JOIN LATERAL (
            SELECT unnest(p.strength_areas) AS area_of_review, 'strength' AS kind
            UNION ALL
            SELECT unnest(p.development_areas), 'development'
        ) named
        LEFT JOIN reviews r USING (review_id)
        LEFT JOIN review_cycles c ON c.cycle_id = r.cycle_id
        LEFT JOIN settings s ON s.setting_id = r.setting_id
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "feedback-responses": f"""
        SELECT area, district, community, voice AS category, '' AS measure,
               {MONTH.format("received_on")} AS month, count(*) AS n, 0 AS amount
        FROM responses
        WHERE received_on IS NOT NULL AND accepted AND NOT excluded
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "feedback-themes": f"""
        SELECT area, district, community, theme AS category, voice AS measure,
               {MONTH.format("received_on")} AS month, count(*) AS n, 0 AS amount
        FROM responses CROSS JOIN LATERAL unnest(themes) AS theme
        WHERE received_on IS NOT NULL AND accepted AND NOT excluded
        GROUP BY 1, 2, 3, 4, 5, 6""",
    "feedback-actions": f"""
        SELECT NULL AS area, NULL AS district, NULL AS community, status AS category,
               'actions' AS measure, {MONTH.format("published_on")} AS month,
               count(*) AS n, 0 AS amount
        FROM you_said_we_did
        WHERE published_on IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6""",
}


# The column naming a tally's place at each level below Kent.
PLACE_COLUMNS = {Level.AREA: "area", Level.DISTRICT: "district", Level.COMMUNITY: "community"}


async def tallies(connection: Connection, source: str, within: Scope | None = None) -> list[Tally]:
    """Every tally of one figure's source (only those within a place, if one is given: the
    same ones ``Scope.contains`` keeps), in a stable order."""
    query, params = f"SELECT * FROM ({SOURCES[source]}) t", []
    if within is not None and within.level in PLACE_COLUMNS:
        query += f" WHERE t.{PLACE_COLUMNS[within.level]} = $1"
        params.append(within.code)
    rows = await connection.fetch(f"{query} ORDER BY 1, 2, 3, 4, 5, 6", *params)
    return [
        Tally(
            place=Place(row["area"], row["district"], row["community"]),
            category=row["category"],
            measure=row["measure"],
            month=row["month"],
            count=int(row["n"]),
            amount=int(row["amount"]),
        )
        for row in rows
    ]


class Communities(NamedTuple):
    districts: dict[str, str]
    """Each Community of Schools the model knows, and the district it is in."""
    names: dict[str, str]
    """What people call each, as the settings registry last said (where it did)."""


async def known_communities(connection: Connection) -> Communities:
    """The Communities of Schools the model knows: their districts and names, in one read."""
    rows = await connection.fetch(
        """SELECT community, min(district) AS district,
                  (array_agg(community_name ORDER BY seq DESC)
                     FILTER (WHERE community_name IS NOT NULL))[1] AS name
           FROM (
               SELECT community, district, community_name, seq
               FROM settings WHERE community IS NOT NULL
               UNION ALL SELECT community, district, NULL, NULL FROM review_cycles
               UNION ALL SELECT community, district, NULL, NULL
               FROM responses WHERE community IS NOT NULL
           ) known GROUP BY community"""
    )
    return Communities(
        {row["community"]: row["district"] for row in rows},
        {row["community"]: row["name"] for row in rows if row["name"] is not None},
    )


async def communities(connection: Connection) -> dict[str, str]:
    """Each Community of Schools the model knows, and the district it is in."""
    return (await known_communities(connection)).districts
