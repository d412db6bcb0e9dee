-- The placements service's state. Documents are the domain's own models as JSON; columns beside
-- them are what queries filter and join on.

CREATE TABLE settings (
    setting_id     text PRIMARY KEY,
    provision      text NOT NULL,
    district       text NOT NULL,
    area           text NOT NULL,
    community_id   text NOT NULL,
    document       jsonb NOT NULL
);

-- Places per setting per academic year; offers are checked against the row under a lock.
CREATE TABLE capacities (
    setting_id     text NOT NULL REFERENCES settings (setting_id),
    academic_year  text NOT NULL,
    document       jsonb NOT NULL,
    PRIMARY KEY (setting_id, academic_year)
);

CREATE TABLE requests (
    request_id     text PRIMARY KEY,
    child_id       text NOT NULL,
    district       text NOT NULL,
    academic_year  text NOT NULL,
    status         text NOT NULL,
    document       jsonb NOT NULL
);
CREATE INDEX requests_by_child ON requests (child_id);
CREATE INDEX requests_by_year ON requests (academic_year);

CREATE TABLE consultations (
    consultation_id  text PRIMARY KEY,
    request_id       text NOT NULL REFERENCES requests (request_id),
    setting_id       text NOT NULL REFERENCES settings (setting_id),
    child_id         text NOT NULL,
    replied_on       date,
    document         jsonb NOT NULL,
    UNIQUE (request_id, setting_id)
);
CREATE INDEX consultations_awaiting_reply ON consultations (request_id) WHERE replied_on IS NULL;

CREATE TABLE decisions (
    decision_id  text PRIMARY KEY,
    request_id   text NOT NULL REFERENCES requests (request_id),
    setting_id   text NOT NULL REFERENCES settings (setting_id),
    child_id     text NOT NULL,
    decided_on   date NOT NULL,
    record       jsonb NOT NULL
);
CREATE INDEX decisions_by_request ON decisions (request_id);

CREATE TABLE offers (
    offer_id       text PRIMARY KEY,
    decision_id    text NOT NULL REFERENCES decisions (decision_id),
    request_id     text NOT NULL REFERENCES requests (request_id),
    child_id       text NOT NULL,
    setting_id     text NOT NULL REFERENCES settings (setting_id),
    academic_year  text NOT NULL,
    status         text NOT NULL,
    document       jsonb NOT NULL
);
CREATE INDEX offers_by_setting_year ON offers (setting_id, academic_year);
CREATE INDEX offers_by_request ON offers (request_id);

CREATE TABLE placements (
    placement_id   text PRIMARY KEY,
    offer_id       text NOT NULL UNIQUE REFERENCES offers (offer_id),
    child_id       text NOT NULL,
    setting_id     text NOT NULL REFERENCES settings (setting_id),
    has_ehcp       boolean NOT NULL,
    started_on     date NOT NULL,
    ended_on       date,
    post_16_move   jsonb,
    document       jsonb NOT NULL
);
CREATE INDEX placements_by_child ON placements (child_id, started_on);

CREATE TABLE amended_plans (
    placement_id  text NOT NULL REFERENCES placements (placement_id),
    issued_on     date NOT NULL,
    PRIMARY KEY (placement_id, issued_on)
);

-- EHC needs assessments: their steps, from which the 6-, 16- and 20-week clocks are computed.
CREATE TABLE assessments (
    assessment_id  text PRIMARY KEY,
    child_id       text NOT NULL,
    district       text NOT NULL,
    steps          jsonb NOT NULL
);
CREATE INDEX assessments_by_child ON assessments (child_id);

CREATE TABLE clock_exceptions (
    exception_id  text PRIMARY KEY,
    subject_id    text NOT NULL,
    clock         text NOT NULL,
    document      jsonb NOT NULL
);

-- Warnings and breaches already raised: each is raised once per clock, however often the clocks
-- are swept. party_id is the consulted setting for a consultation's reply clock, '' otherwise.
CREATE TABLE clock_alerts (
    subject_id  text NOT NULL,
    kind        text NOT NULL,
    party_id    text NOT NULL,
    alert       text NOT NULL CHECK (alert IN ('warning', 'breached')),
    raised_on   date NOT NULL,
    PRIMARY KEY (subject_id, kind, party_id, alert)
);
