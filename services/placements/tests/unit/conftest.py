"""Fixtures for the placements domain: a small registry in Thanet, a Year 7 request for an ASD
SRP place, its consultations, a panel with one member who must recuse, and the decision."""

from collections.abc import Callable
from datetime import date

import pytest

from inclusion_shared.identifiers import person_id_for
from inclusion_shared.kent import District
from placements.domain.consultation import Consultation, consult
from placements.domain.options import Option, OptionConsidered
from placements.domain.panel import Panel, PanelMember, PanelRole, QuorumRule, Vote, VoteChoice
from placements.domain.placement_decision import PlacementDecision, Proposal, decide_placement
from placements.domain.preferences import refuse_preference
from placements.domain.rationale import Rationale
from placements.domain.registry import SettingRegistry, register_setting
from placements.domain.request import PlacementRequest
from placements.domain.setting import ProvisionType, Setting
from placements.domain.timescales import SEND_REGULATIONS_2014, Timescales
from placements.domain.values import NeedType
from placements.domain.year_groups import YearGroup

PRIMARY = "mainstream-0101"
SECONDARY = "mainstream-0201"
SECONDARY_SRP = "srp-0301"
PRIMARY_SRP = "srp-0302"
SPECIAL = "special-0401"
PRU = "pru-0501"
NURSERY = "nursery-0601"
PORTAGE = "portage-0701"

OFFICER_1 = person_id_for("officer-1")
OFFICER_2 = person_id_for("officer-2")
SENCO_1 = person_id_for("senco-1")
SENCO_2 = person_id_for("senco-2")
HEAD_1 = person_id_for("head-1")
HEAD_2 = person_id_for("head-2")
"""The panel's members, named by person ids made from their seats."""

REQUEST_RECEIVED_ON = date(2026, 10, 1)
CONSULTED_ON = date(2026, 10, 2)
DECIDED_ON = date(2026, 11, 16)

MakeSetting = Callable[..., Setting]
Votes = Callable[..., tuple[Vote, ...]]

SRP_OPTIONS = (
    OptionConsidered(
        option=Option.GRADUATED_RESPONSE, not_enough_because="needs_exceed_sen_support"
    ),
    OptionConsidered(option=Option.LIFT_OR_STLS, not_enough_because="stls_advice_insufficient"),
    OptionConsidered(option=Option.NEAREST_MAINSTREAM, not_enough_because="sensory_environment"),
)
ALL_OPTIONS = (
    *SRP_OPTIONS,
    OptionConsidered(option=Option.SRP, not_enough_because="needs_exceed_srp_offer"),
)


def _setting(
    setting_id: str,
    provision: ProvisionType,
    lowest: YearGroup,
    highest: YearGroup,
    *need_types: NeedType,
    district: District = District.THANET,
) -> Setting:
    """A setting in Community of Schools 17 unless another district is given."""
    return Setting(
        setting_id=setting_id,
        provision=provision,
        district=district,
        community_id="cos-17",
        lowest_year=lowest,
        highest_year=highest,
        need_types=need_types,
    )


def _votes(*member_ids: str, choice: VoteChoice = VoteChoice.FOR) -> tuple[Vote, ...]:
    return tuple(Vote(member_id=member_id, choice=choice) for member_id in member_ids)


@pytest.fixture
def make_setting() -> MakeSetting:
    """Build a setting: id, provision, year range, then any need types it is designated for."""
    return _setting


@pytest.fixture
def votes() -> Votes:
    """Cast the same vote (for, unless `choice` says otherwise) from each named member."""
    return _votes


@pytest.fixture
def timescales() -> Timescales:
    return SEND_REGULATIONS_2014


@pytest.fixture
def registry() -> SettingRegistry:
    """One of each kind of provision, all in Thanet."""
    registry = SettingRegistry()
    for entry in (
        _setting(PRIMARY, ProvisionType.MAINSTREAM, YearGroup.RECEPTION, YearGroup.YEAR_6),
        _setting(SECONDARY, ProvisionType.MAINSTREAM, YearGroup.YEAR_7, YearGroup.YEAR_13),
        _setting(
            SECONDARY_SRP, ProvisionType.SRP, YearGroup.YEAR_7, YearGroup.YEAR_11, NeedType.ASD
        ),
        _setting(
            PRIMARY_SRP,
            ProvisionType.SRP,
            YearGroup.RECEPTION,
            YearGroup.YEAR_6,
            NeedType.SLCN,
            NeedType.ASD,
        ),
        _setting(
            SPECIAL,
            ProvisionType.SPECIAL,
            YearGroup.RECEPTION,
            YearGroup.YEAR_14,
            NeedType.ASD,
            NeedType.SLD,
        ),
        _setting(PRU, ProvisionType.PRU, YearGroup.YEAR_7, YearGroup.YEAR_11),
        _setting(NURSERY, ProvisionType.EARLY_YEARS, YearGroup.EARLY_YEARS, YearGroup.EARLY_YEARS),
        _setting(PORTAGE, ProvisionType.PORTAGE, YearGroup.EARLY_YEARS, YearGroup.EARLY_YEARS),
    ):
        registry = register_setting(registry, entry)
    return registry


@pytest.fixture
def placement_request() -> PlacementRequest:
    """A Year 7 place in 2027-28 for an autistic child with an EHCP: the family prefer the
    special school, then the secondary SRP."""
    return PlacementRequest(
        request_id="request-1",
        child_id="child-4b8669e033ccb7794915",
        received_on=REQUEST_RECEIVED_ON,
        district=District.THANET,
        academic_year="2027-28",
        year_group=YearGroup.YEAR_7,
        need_type=NeedType.ASD,
        has_ehcp=True,
        provision_sought=ProvisionType.SRP,
        preferences=(SPECIAL, SECONDARY_SRP),
    )


@pytest.fixture
def consultations(
    placement_request: PlacementRequest, registry: SettingRegistry
) -> tuple[Consultation, ...]:
    """Both preferences and the nearest mainstream secondary school."""
    return consult(placement_request, registry, SECONDARY, CONSULTED_ON)


@pytest.fixture
def panel() -> Panel:
    """Four members; senco-2 has declared an interest in the SRP under decision."""
    return Panel(
        panel_id="panel-thanet-1",
        members=(
            PanelMember(member_id=OFFICER_1, role=PanelRole.KCC_OFFICER),
            PanelMember(
                member_id=SENCO_1,
                role=PanelRole.SENCO,
                declared_interests=("mainstream-0999",),
            ),
            PanelMember(member_id=HEAD_1, role=PanelRole.HEADTEACHER),
            PanelMember(
                member_id=SENCO_2,
                role=PanelRole.SENCO,
                declared_interests=(SECONDARY_SRP,),
            ),
        ),
        quorum=QuorumRule(min_voting_members=3, min_kcc_officers=1, min_sencos=1),
    )


@pytest.fixture
def proposal(placement_request: PlacementRequest) -> Proposal:
    """Name the SRP: options before an SRP considered, the first preference refused, carried."""
    return Proposal(
        decision_id="decision-1",
        options_considered=SRP_OPTIONS,
        preference_refusals=(
            refuse_preference(
                placement_request, SPECIAL, "unsuitable_for_age_ability_aptitude_or_need"
            ),
        ),
        votes=_votes(OFFICER_1, SENCO_1, HEAD_1),
    )


RATIONALE_DIGEST = "5d" * 32
"""The keyed digest of the rationale, as the service takes it under the child's key."""


@pytest.fixture
def rationale() -> Rationale:
    return Rationale(
        document_id="rationale-1",
        text="The SRP meets the child's communication needs with access to mainstream lessons.",
    )


@pytest.fixture
def decision(
    placement_request: PlacementRequest,
    registry: SettingRegistry,
    consultations: tuple[Consultation, ...],
    panel: Panel,
    proposal: Proposal,
    rationale: Rationale,
) -> PlacementDecision:
    """The panel names the secondary SRP."""
    return decide_placement(
        placement_request,
        registry.setting(SECONDARY_SRP),
        consultations,
        panel,
        proposal,
        rationale,
        RATIONALE_DIGEST,
        DECIDED_ON,
    )
