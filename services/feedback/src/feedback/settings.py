"""The feedback service's settings, from environment variables."""

from pydantic import Field

from feedback.domain.invitations import InvitationPolicy
from inclusion_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "feedback"
    invite_family_weeks_after_placement: int = Field(
        6, ge=0, le=52, description="weeks after a placement starts that the family is asked"
    )
    invite_senco_weeks_after_funding_decision: int = Field(
        2, ge=0, le=52, description="weeks after a final funding decision that the SENCO is asked"
    )
    invite_school_weeks_after_follow_up: int = Field(
        2, ge=0, le=52, description="weeks after a peer review's follow-up that the school is asked"
    )

    def invitation_policy(self) -> InvitationPolicy:
        """When each kind of invitation falls due, as configured."""
        return InvitationPolicy(
            family_weeks_after_placement=self.invite_family_weeks_after_placement,
            senco_weeks_after_funding_decision=self.invite_senco_weeks_after_funding_decision,
            school_weeks_after_follow_up=self.invite_school_weeks_after_follow_up,
        )
