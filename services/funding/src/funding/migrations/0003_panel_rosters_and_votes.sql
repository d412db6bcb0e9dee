-- Panels' stored rosters, the proposals an officer puts to a panel, and the votes each member
-- casts as themselves. A roster keeps its current version; the log keeps every version.

CREATE TABLE panel_rosters (
    panel_id  text PRIMARY KEY,
    area      text NOT NULL,
    version   integer NOT NULL,
    document  jsonb NOT NULL
);
CREATE INDEX panel_rosters_by_area ON panel_rosters (area);

CREATE TABLE hnf_proposals (
    proposal_id      text PRIMARY KEY,
    application_id   text NOT NULL REFERENCES applications (application_id),
    panel_id         text NOT NULL REFERENCES panel_rosters (panel_id),
    status           text NOT NULL,
    outcome          jsonb NOT NULL,
    override_reason  text,
    proposed_by      text NOT NULL,
    proposed_on      date NOT NULL,
    -- the id the decision takes if the panel carries the proposal
    decision_id      text NOT NULL UNIQUE
);
CREATE INDEX hnf_proposals_by_application ON hnf_proposals (application_id);
-- One open proposal per application at a time.
CREATE UNIQUE INDEX hnf_proposals_open_per_application ON hnf_proposals (application_id)
    WHERE status = 'open';

CREATE TABLE hnf_votes (
    number          bigint GENERATED ALWAYS AS IDENTITY,
    proposal_id     text NOT NULL REFERENCES hnf_proposals (proposal_id),
    member_id       text NOT NULL,
    choice          text NOT NULL,
    cast_on         date NOT NULL,
    roster_version  integer NOT NULL,
    PRIMARY KEY (proposal_id, member_id)
);
