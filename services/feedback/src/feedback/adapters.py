"""PostgreSQL repositories of the feedback service: load and save the domain's models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from feedback.domain.actions import YouSaidWeDid
from feedback.domain.invitations import Invitation
from feedback.domain.response import Response, ResponseStatus
from feedback.domain.survey import Survey
from feedback.domain.themes import Theme
from inclusion_shared.kent import Area, District
from inclusion_shared.persistence.pool import Connection


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

    async def surveys(self, statuses: tuple[str, ...]) -> list[Survey]:
        rows = await self.connection.fetch(
            "SELECT document FROM surveys WHERE status = ANY($1::text[]) ORDER BY survey_id",
            list(statuses),
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
        self, *, child_id: str | None = None, setting_id: str | None = None, every: bool = False
    ) -> list[tuple[Invitation, str | None]]:
        """Invitations with the day each was answered: every one, or a child's or a setting's."""
        rows = await self.connection.fetch(
            """SELECT document, responded_on FROM invitations
               WHERE $3 OR child_id = $1 OR setting_id = $2
               ORDER BY due_on, invitation_id""",
            child_id,
            setting_id,
            every,
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

    async def responses_of_survey(self, survey_id: str) -> list[Response]:
        rows = await self.connection.fetch(
            "SELECT document FROM responses WHERE survey_id = $1 ORDER BY response_id", survey_id
        )
        return [Response.model_validate_json(row["document"]) for row in rows]

    async def responses_that_count(self, survey_id: str | None) -> list[Response]:
        """Accepted responses, of one survey or of all."""
        rows = await self.connection.fetch(
            """SELECT document FROM responses
               WHERE status = $1 AND ($2::text IS NULL OR survey_id = $2)
               ORDER BY response_id""",
            ResponseStatus.ACCEPTED.value,
            survey_id,
        )
        return [Response.model_validate_json(row["document"]) for row in rows]

    async def responses_of(self, respondent_id: str, child_id: str | None) -> list[StoredResponse]:
        """A respondent's own responses, and those given about their child."""
        rows = await self.connection.fetch(
            """SELECT document, person_id, text_record_id FROM responses
               WHERE respondent_id = $1 OR ($2::text IS NOT NULL AND child_id = $2)
               ORDER BY received_on, response_id""",
            respondent_id,
            child_id,
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

    async def awaiting_moderation(self) -> list[StoredResponse]:
        rows = await self.connection.fetch(
            """SELECT document, person_id, text_record_id FROM responses
               WHERE status = $1 ORDER BY received_on, response_id""",
            ResponseStatus.AWAITING_MODERATION.value,
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

    async def themes(self) -> list[Theme]:
        rows = await self.connection.fetch("SELECT document FROM themes ORDER BY theme")
        return [Theme.model_validate_json(row["document"]) for row in rows]

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

    async def actions(self) -> list[YouSaidWeDid]:
        rows = await self.connection.fetch("SELECT document FROM actions ORDER BY action_id")
        return [YouSaidWeDid.model_validate_json(row["document"]) for row in rows]


def _stored(row: asyncpg.Record) -> StoredResponse:
    return StoredResponse(
        Response.model_validate_json(row["document"]), row["person_id"], row["text_record_id"]
    )
