-- Panels' stored rosters (members, terms, training, declared interests and the quorum), the
-- proposals an officer puts to a panel, and the votes each member casts as themselves (#19). A
-- roster keeps its current version; the log keeps every version.

CREATE TABLE panel_rosters (
    panel_id  text PRIMARY KEY,
    area      text NOT NULL,
    version   integer NOT NULL,
    document  jsonb NOT NULL
);
CREATE INDEX panel_rosters_by_area ON panel_rosters (area);

-- What the panel is asked to decide: the setting named and all the decision rests on but the
-- votes; the rationale is sealed in the vault under the id of the decision it would become.
CREATE TABLE proposals (
    proposal_id     text PRIMARY KEY,
    request_id      text NOT NULL REFERENCES requests (request_id),
    panel_id        text NOT NULL REFERENCES panel_rosters (panel_id),
    status          text NOT NULL,
    document        jsonb NOT NULL,
    proposed_by     text NOT NULL,
    proposed_on     date NOT NULL,
    decision_id     text NOT NULL UNIQUE
);
CREATE INDEX proposals_by_request ON proposals (request_id);
-- One open proposal per request at a time.
CREATE UNIQUE INDEX proposals_open_per_request ON proposals (request_id) WHERE status = 'open';

CREATE TABLE votes (
    number          bigint GENERATED ALWAYS AS IDENTITY,
    proposal_id     text NOT NULL REFERENCES proposals (proposal_id),
    member_id       text NOT NULL,
    choice          text NOT NULL,
    cast_on         date NOT NULL,
    roster_version  integer NOT NULL,
    PRIMARY KEY (proposal_id, member_id)
);
