"""PostgreSQL repositories of the feedback service: load and save the domain's models."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from feedback.access import Reach
from feedback.domain.actions import ActionStatus, YouSaidWeDid
from feedback.domain.aggregates import NOT_KNOWN, PlaceLevel, Tally
from feedback.domain.invitations import Invitation
from feedback.domain.moderation import COUNTED_STATUS
from feedback.domain.response import Response, ResponseStatus
from feedback.domain.survey import Survey, SurveyStatus
from feedback.domain.themes import Theme
from inclusion_shared.kent import Area, District
from inclusion_shared.persistence.pool import Connection

# Where a response is from, at each level figures are published by (a Community of Schools not
# known is NULL here, NOT_KNOWN in a table). Fixed SQL, chosen by the level, never by a client.
_PLACE = {
    PlaceLevel.DISTRICT: "r.document->'place'->>'district'",
    PlaceLevel.AREA: "r.document->'place'->>'area'",
    PlaceLevel.COMMUNITY_OF_SCHOOLS: "r.document->'place'->>'community_of_schools'",
}

# Where a stored response or invitation belongs, for lists filtered to the caller's places.
DISTRICT = "document->'place'->>'district'"

# Counted responses (moderation.counts: accepted, with consent) of one survey or all, within
# one Kent area or all of Kent and the places the caller reaches, grouped by question (answers
# only), row label and place.
_TALLY = """
    SELECT {question} AS question, {label} AS label, {place} AS place, count(*) AS responses
    FROM responses r{unnest}
    WHERE r.status = $1 AND (r.document->'consent'->>'given')::boolean
      AND ($2::text IS NULL OR r.survey_id = $2)
      AND ($3::text IS NULL OR r.document->'place'->>'area' = $3){only}
      AND {reached}
    GROUP BY 1, 2, 3"""


@dataclass(frozen=True)
class KnownSetting:
    setting_id: str
    district: District
    area: Area
    community_of_schools: str | None


@dataclass(frozen=True)
class StoredResponse:
    """A response, the person whose key seals its free text, and that sealed record's id."""

    response: Response
    person_id: str
    text_record_id: str | None


class FeedbackStore:
    """The feedback tables, seen through one connection (and so one transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    async def add_survey(self, survey: Survey) -> bool:
        """Record a new survey; False if its id is taken."""
        added: bool | None = await self.connection.fetchval(
            """INSERT INTO surveys (survey_id, status, document) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING RETURNING true""",
            survey.survey_id,
            survey.status.value,
            survey.model_dump_json(),
        )
        return bool(added)

    async def survey(self, survey_id: str, *, for_update: bool = False) -> Survey | None:
        lock = " FOR UPDATE" if for_update else ""
        document = await self.connection.fetchval(
            f"SELECT document FROM surveys WHERE survey_id = $1{lock}", survey_id
        )
        return None if document is None else Survey.model_validate_json(document)

    async def save_survey(self, survey: Survey) -> None:
        await self.connection.execute(
            "UPDATE surveys SET status = $2, document = $3 WHERE survey_id = $1",
            survey.survey_id,
            survey.status.value,
            survey.model_dump_json(),
        )

    async def surveys(self, drafts: Reach, after: tuple[str] | None, limit: int) -> list[Survey]:
        """A page of the published and closed surveys, and the drafts the caller reaches, by
        id. (A survey sits in no place narrower than Kent, so a draft has no column to name.)"""
        reached = drafts(first=4)
        rows = await self.connection.fetch(
            f"""SELECT document FROM surveys
                WHERE (status <> $1 OR {reached.sql}) AND ($2::text IS NULL OR survey_id > $2)
                ORDER BY survey_id LIMIT $3""",
            SurveyStatus.DRAFT.value,
            *(after or (None,)),
            limit,
            *reached.params,
        )
        return [Survey.model_validate_json(row["document"]) for row in rows]

    async def register_setting(self, setting: KnownSetting) -> None:
        await self.connection.execute(
            """INSERT INTO known_settings (setting_id, district, area, community_of_schools)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (setting_id) DO UPDATE
               SET district = $2, area = $3, community_of_schools = $4""",
            setting.setting_id,
            setting.district.value,
            setting.area.value,
            setting.community_of_schools,
        )

    async def community_of(self, setting_id: str) -> str | None:
        """The setting's Community of Schools, if the registry has told us."""
        found: str | None = await self.connection.fetchval(
            "SELECT community_of_schools FROM known_settings WHERE setting_id = $1", setting_id
        )
        return found

    async def add_invitation(self, invitation: Invitation, caused_by: UUID) -> bool:
        """Record an invitation; False when its cause has already invited."""
        added: bool | None = await self.connection.fetchval(
            """INSERT INTO invitations (invitation_id, cause, cause_id, child_id, setting_id,
                   due_on, caused_by_event, document)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT DO NOTHING RETURNING true""",
            invitation.invitation_id,
            invitation.cause.value,
            invitation.cause_id,
            invitation.child_id,
            invitation.setting_id,
            invitation.due_on,
            caused_by,
            invitation.model_dump_json(),
        )
        return bool(added)

    async def invitation(self, invitation_id: str) -> Invitation | None:
        document = await self.connection.fetchval(
            "SELECT document FROM invitations WHERE invitation_id = $1", invitation_id
        )
        return None if document is None else Invitation.model_validate_json(document)

    async def invitations(
        self, reached: Reach, after: tuple[date, str] | None, limit: int
    ) -> list[tuple[Invitation, str | None]]:
        """A page of the invitations the caller reaches (in their places, to their settings,
        about their child), by due date, with the day each was answered."""
        where = reached(first=4, district=DISTRICT, setting="setting_id", child="child_id")
        rows = await self.connection.fetch(
            f"""SELECT document, responded_on FROM invitations
                WHERE {where.sql}
                  AND ($1::date IS NULL OR (due_on, invitation_id) > ($1::date, $2::text))
                ORDER BY due_on, invitation_id LIMIT $3""",
            *(after or (None, None)),
            limit,
            *where.params,
        )
        return [
            (
                Invitation.model_validate_json(row["document"]),
                row["responded_on"].isoformat() if row["responded_on"] else None,
            )
            for row in rows
        ]

    async def mark_responded(self, invitation_id: str, on: date) -> None:
        await self.connection.execute(
            """UPDATE invitations SET responded_on = $2
               WHERE invitation_id = $1 AND responded_on IS NULL""",
            invitation_id,
            on,
        )

    async def add_response(self, stored: StoredResponse) -> bool:
        """Record a new response; False if its id is taken."""
        response = stored.response
        added: bool | None = await self.connection.fetchval(
            """INSERT INTO responses (response_id, survey_id, status, respondent_id, child_id,
                   person_id, text_record_id, received_on, document)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT DO NOTHING RETURNING true""",
            response.response_id,
            response.survey_id,
            response.status.value,
            response.respondent_id,
            response.child_id,
            stored.person_id,
            stored.text_record_id,
            response.received_on,
            response.model_dump_json(),
        )
        return bool(added)

    async def response(
        self, response_id: str, *, for_update: bool = False
    ) -> StoredResponse | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self.connection.fetchrow(
            f"""SELECT document, person_id, text_record_id FROM responses
                WHERE response_id = $1{lock}""",
            response_id,
        )
        return None if row is None else _stored(row)

    async def save_response(self, response: Response) -> None:
        await self.connection.execute(
            "UPDATE responses SET status = $2, document = $3 WHERE response_id = $1",
            response.response_id,
            response.status.value,
            response.model_dump_json(),
        )

    async def respondents(
        self,
        by: PlaceLevel,
        *,
        reached: Reach,
        survey_id: str | None = None,
        area: Area | None = None,
    ) -> Tally:
        """Counted responses by voice and place, in the places the caller reaches."""
        return _tally(await self._counted("r.document->>'voice'", by, reached, survey_id, area))

    async def themes_heard(
        self,
        by: PlaceLevel,
        *,
        reached: Reach,
        survey_id: str | None = None,
        area: Area | None = None,
    ) -> Tally:
        """Counted responses by theme tagged and place: a response counts once in each of its
        themes (tagging keeps them distinct)."""
        unnest = ", jsonb_array_elements_text(r.document->'themes') AS theme"
        return _tally(await self._counted("theme", by, reached, survey_id, area, unnest=unnest))

    async def sentiments(
        self,
        by: PlaceLevel,
        *,
        reached: Reach,
        survey_id: str | None = None,
        area: Area | None = None,
    ) -> Tally:
        """Counted responses a moderator read a sentiment in, by sentiment and place."""
        only = " AND r.document->>'sentiment' IS NOT NULL"
        label = "r.document->>'sentiment'"
        return _tally(await self._counted(label, by, reached, survey_id, area, only=only))

    async def answers(
        self, survey_id: str, by: PlaceLevel, *, reached: Reach, area: Area | None = None
    ) -> dict[str, Tally]:
        """Per scale or choice question of a survey, its counted answers by option (a scale's
        value as text) and place. A response answers a question once."""
        rows = await self._counted(
            "coalesce(answer->>'option', answer->>'value')",
            by,
            reached,
            survey_id,
            area,
            question="answer->>'question_id'",
            unnest=", jsonb_array_elements(r.document->'answers') AS answer",
            only=" AND answer->>'kind' IN ('scale', 'choice')",
        )
        questions = {row["question"] for row in rows}
        return {q: _tally(row for row in rows if row["question"] == q) for q in questions}

    async def _counted(
        self,
        label: str,
        by: PlaceLevel,
        reached: Reach,
        survey_id: str | None,
        area: Area | None,
        *,
        question: str = "NULL::text",
        unnest: str = "",
        only: str = "",
    ) -> list[asyncpg.Record]:
        where = reached(first=4, district=f"r.{DISTRICT}")
        query = _TALLY.format(
            question=question,
            label=label,
            place=_PLACE[by],
            unnest=unnest,
            only=only,
            reached=where.sql,
        )
        return await self.connection.fetch(
            query, COUNTED_STATUS.value, survey_id, area.value if area else None, *where.params
        )

    async def responses_of(
        self, reached: Reach, after: tuple[date, str] | None, limit: int
    ) -> list[StoredResponse]:
        """A page of the caller's own responses (those they gave, or those about their child),
        in the order received."""
        where = reached(first=4, child="child_id", made_by="respondent_id")
        rows = await self.connection.fetch(
            f"""SELECT document, person_id, text_record_id FROM responses
                WHERE {where.sql}
                  AND ($1::date IS NULL OR (received_on, response_id) > ($1::date, $2::text))
                ORDER BY received_on, response_id LIMIT $3""",
            *(after or (None, None)),
            limit,
            *where.params,
        )
        return [_stored(row) for row in rows]

    async def responses_keyed_to(self, person_id: str) -> list[StoredResponse]:
        """Responses whose free text is sealed under this person's key, locked for change."""
        rows = await self.connection.fetch(
            """SELECT document, person_id, text_record_id FROM responses
               WHERE person_id = $1 ORDER BY response_id FOR UPDATE""",
            person_id,
        )
        return [_stored(row) for row in rows]

    async def awaiting_moderation(
        self, reached: Reach, after: tuple[date, str] | None, limit: int
    ) -> list[StoredResponse]:
        """A page of the responses awaiting a moderator in the places the caller reaches,
        oldest first."""
        where = reached(first=5, district=DISTRICT)
        rows = await self.connection.fetch(
            f"""SELECT document, person_id, text_record_id FROM responses
                WHERE status = $1 AND {where.sql}
                  AND ($2::date IS NULL OR (received_on, response_id) > ($2::date, $3::text))
                ORDER BY received_on, response_id LIMIT $4""",
            ResponseStatus.AWAITING_MODERATION.value,
            *(after or (None, None)),
            limit,
            *where.params,
        )
        return [_stored(row) for row in rows]

    async def forget_text(self, text_record_id: str) -> None:
        """Delete a response's sealed free text (its ciphertext goes with it)."""
        await self.connection.execute(
            "DELETE FROM personal_records WHERE record_id = $1", text_record_id
        )

    async def theme_names(self) -> set[str]:
        rows = await self.connection.fetch("SELECT theme FROM themes")
        return {row["theme"] for row in rows}

    async def add_theme(self, theme: Theme) -> bool:
        """Record a newly identified theme; False if another moderator identified it first."""
        added: bool | None = await self.connection.fetchval(
            """INSERT INTO themes (theme, document) VALUES ($1, $2)
               ON CONFLICT DO NOTHING RETURNING true""",
            theme.theme,
            theme.model_dump_json(),
        )
        return bool(added)

    async def themes(self, reached: Reach, after: tuple[str] | None, limit: int) -> list[Theme]:
        """A page of the themes identified that the caller reaches (by where each was first
        heard), by code."""
        where = reached(first=3, district=DISTRICT)
        rows = await self.connection.fetch(
            f"""SELECT document FROM themes WHERE {where.sql} AND ($1::text IS NULL OR theme > $1)
                ORDER BY theme LIMIT $2""",
            *(after or (None,)),
            limit,
            *where.params,
        )
        return [Theme.model_validate_json(row["document"]) for row in rows]

    async def actions_answering(
        self, themes: list[str]
    ) -> dict[str, list[tuple[str, ActionStatus]]]:
        """The actions answering each of these themes, by id, with their status."""
        rows = await self.connection.fetch(
            """SELECT theme, a.action_id, a.status
               FROM actions a, jsonb_array_elements_text(a.document->'themes') AS theme
               WHERE theme = ANY($1::text[]) ORDER BY theme, a.action_id""",
            themes,
        )
        answering: dict[str, list[tuple[str, ActionStatus]]] = {}
        for row in rows:
            answering.setdefault(row["theme"], []).append(
                (row["action_id"], ActionStatus(row["status"]))
            )
        return answering

    async def add_action(self, action: YouSaidWeDid) -> bool:
        """Record a new action; False if its id is taken."""
        added: bool | None = await self.connection.fetchval(
            """INSERT INTO actions (action_id, status, document) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING RETURNING true""",
            action.action_id,
            action.status.value,
            action.model_dump_json(),
        )
        return bool(added)

    async def action(self, action_id: str, *, for_update: bool = False) -> YouSaidWeDid | None:
        lock = " FOR UPDATE" if for_update else ""
        document = await self.connection.fetchval(
            f"SELECT document FROM actions WHERE action_id = $1{lock}", action_id
        )
        return None if document is None else YouSaidWeDid.model_validate_json(document)

    async def save_action(self, action: YouSaidWeDid) -> None:
        await self.connection.execute(
            "UPDATE actions SET status = $2, document = $3 WHERE action_id = $1",
            action.action_id,
            action.status.value,
            action.model_dump_json(),
        )

    async def actions(
        self, reached: Reach, after: tuple[str] | None, limit: int
    ) -> list[YouSaidWeDid]:
        """A page of the published actions the caller reaches, by id. (An action answers all of
        Kent, so it has no place column to name.)"""
        where = reached(first=3)
        rows = await self.connection.fetch(
            f"""SELECT document FROM actions
                WHERE {where.sql} AND ($1::text IS NULL OR action_id > $1)
                ORDER BY action_id LIMIT $2""",
            *(after or (None,)),
            limit,
            *where.params,
        )
        return [YouSaidWeDid.model_validate_json(row["document"]) for row in rows]


def _stored(row: asyncpg.Record) -> StoredResponse:
    return StoredResponse(
        Response.model_validate_json(row["document"]), row["person_id"], row["text_record_id"]
    )


def _tally(rows: Iterable[asyncpg.Record]) -> Tally:
    return {(row["label"], row["place"] or NOT_KNOWN): row["responses"] for row in rows}
