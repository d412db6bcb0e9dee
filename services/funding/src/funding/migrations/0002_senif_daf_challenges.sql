-- SENIF awards, DAF claims, challenges to panel decisions, and withdrawn applications.
-- SENIF applications live in `applications` (scheme 'senif') so their decisions join the
-- one decision log like HNF's.

ALTER TABLE applications ADD COLUMN withdrawn_on date;
ALTER TABLE applications ADD COLUMN withdrawal_reason text;
CREATE INDEX decisions_by_decided_on ON decisions (decided_on);

-- A SENIF award belongs to one setting; a move or a leave ends it, once.
CREATE TABLE senif_awards (
    award_id        text PRIMARY KEY,
    decision_id     text NOT NULL UNIQUE REFERENCES decisions (decision_id),
    child_id        text NOT NULL,
    setting_id      text NOT NULL,
    district        text NOT NULL,
    area            text NOT NULL,
    document        jsonb NOT NULL,
    ended_on        date,
    end_reason      text,
    ended_by_event  uuid UNIQUE
);
CREATE INDEX senif_awards_running ON senif_awards (child_id, setting_id) WHERE ended_on IS NULL;

-- The Disability Access Fund goes to one provider per child per year: the unique key holds
-- even if two providers claim at the same moment.
CREATE TABLE daf_claims (
    claim_id        text PRIMARY KEY,
    decision_id     text NOT NULL UNIQUE,
    child_id        text NOT NULL,
    provider_id     text NOT NULL,
    financial_year  text NOT NULL,
    amount_pence    integer NOT NULL,
    policy_version  text NOT NULL REFERENCES policies (version),
    claimed_on      date NOT NULL,
    document        jsonb NOT NULL,
    UNIQUE (child_id, financial_year)
);

CREATE TABLE challenges (
    challenge_id  text PRIMARY KEY,
    decision_id   text NOT NULL REFERENCES decisions (decision_id),
    child_id      text NOT NULL,
    panel_id      text NOT NULL,
    district      text NOT NULL,
    status        text NOT NULL,
    lodged_on     date NOT NULL,
    resolved_on   date,
    document      jsonb NOT NULL
);
-- One open challenge per decision at a time.
CREATE UNIQUE INDEX challenges_open_per_decision ON challenges (decision_id)
    WHERE status = 'lodged';
