"""Each case's statutory clocks, computed from its facts in the transaction that changes them and
kept in the store: a consultation's reply clock, a placement's transfer and post-16 move clocks,
an EHC needs assessment's three clocks. Reading, sweeping and reporting clocks are then queries
that read no more rows than they answer."""

from __future__ import annotations

import logging

from inclusion_shared.bootstrap import Service
from placements.adapters import (
    Case,
    PlacementsStore,
    StoredAssessment,
    StoredClock,
    StoredConsultation,
    StoredPlacement,
)
from placements.domain.consultation import consultation_clock
from placements.domain.ehc_clocks import ehc_clocks
from placements.domain.placement_clocks import placement_clocks
from placements.domain.timescales import SEND_REGULATIONS_2014, Timescales

log = logging.getLogger(__name__)
BATCH = 100  # cases whose clocks one transaction computes on start


def timescales_in_force() -> Timescales:
    """The statutory timescales every clock is computed under (one version so far)."""
    return SEND_REGULATIONS_2014


async def keep_consultation_clock(store: PlacementsStore, stored: StoredConsultation) -> None:
    """The reply clock of a consultation sent or answered."""
    clock = consultation_clock(stored.consultation, timescales_in_force())
    kept = StoredClock(clock, stored.child_id, stored.district, stored.consultation_id)
    await store.keep_clocks("consultation", stored.consultation_id, [kept])


async def keep_placement_clocks(store: PlacementsStore, stored: StoredPlacement) -> None:
    """The clocks of a placement started, ended, planned for or given an amended plan."""
    placement = stored.placement
    setting = await store.setting(placement.setting_id)
    assert setting is not None, "placements are only ever at registered settings"
    clocks = placement_clocks(
        placement,
        setting,
        has_ehcp=stored.has_ehcp,
        amended_plans=stored.amended_plans,
        post_16_move=stored.post_16_move,
        timescales=timescales_in_force(),
    )
    kept = [StoredClock(clock, placement.child_id, stored.district) for clock in clocks]
    await store.keep_clocks("placement", placement.placement_id, kept)


async def keep_assessment_clocks(store: PlacementsStore, stored: StoredAssessment) -> None:
    """The clocks of an assessment requested or moved on by a step."""
    clocks = ehc_clocks(stored.assessment_id, stored.steps, timescales_in_force())
    kept = [StoredClock(clock, stored.child_id, stored.district) for clock in clocks]
    await store.keep_clocks("assessment", stored.assessment_id, kept)


async def compute_clocks_of_earlier_cases(service: Service) -> None:
    """On start: the clocks of the cases recorded before clocks were kept, a batch of cases per
    transaction. Each case is locked as its commands lock it, so none is computed from facts a
    command is changing."""
    computed = 0
    while True:
        async with service.pool.acquire() as connection, connection.transaction():
            store = PlacementsStore(connection)
            cases = await store.cases_without_clocks(BATCH)
            for case, case_id in cases:
                await _keep_clocks_of(store, case, case_id)
        computed += len(cases)
        if len(cases) < BATCH:
            break
    if computed:
        log.info("clocks computed for cases recorded before", extra={"cases": computed})


async def _keep_clocks_of(store: PlacementsStore, case: Case, case_id: str) -> None:
    if case == "consultation":
        consultation = await store.consultation(case_id, for_update=True)
        if consultation is not None:
            await keep_consultation_clock(store, consultation)
    elif case == "placement":
        placement = await store.placement(case_id, for_update=True)
        if placement is not None:
            await keep_placement_clocks(store, placement)
    else:
        assessment = await store.assessment(case_id, for_update=True)
        if assessment is not None:
            await keep_assessment_clocks(store, assessment)
