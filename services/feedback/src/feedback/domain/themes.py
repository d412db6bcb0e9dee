"""Themes: codes moderators tag responses with. A theme is identified the first time a moderator
uses its code, in the place and survey it was first heard."""

from collections.abc import Iterable
from datetime import date

from feedback.domain.response import Response
from feedback.domain.values import Code, DomainModel, Place, PseudonymousId


class Theme(DomainModel):
    """A theme heard from stakeholders, and where it was first heard."""

    theme: Code
    identified_on: date
    survey_id: PseudonymousId
    place: Place


def newly_identified(known: Iterable[str], tagged: Response) -> tuple[Theme, ...]:
    """The themes of a tagged response that no earlier response was tagged with."""
    seen = set(known)
    if tagged.moderated_on is None:
        return ()
    return tuple(
        Theme(
            theme=theme,
            identified_on=tagged.moderated_on,
            survey_id=tagged.survey_id,
            place=tagged.place,
        )
        for theme in tagged.themes
        if theme not in seen
    )
