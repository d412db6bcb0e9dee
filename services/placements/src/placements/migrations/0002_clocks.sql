-- Each case's statutory clocks, computed from its facts whenever they change (a consultation sent
-- or answered; a placement started, ended, given an amended plan or a planned post-16 move; an
-- assessment's steps), so that reading, sweeping and reporting clocks are queries that read no
-- more rows than they answer. `source` and `source_id` name the case a clock is computed from
-- (consultation, placement or assessment); party_id is the consulted setting of a reply clock,
-- '' otherwise, as in clock_alerts.
CREATE TABLE clocks (
    kind                text NOT NULL,
    subject_id          text NOT NULL,
    party_id            text NOT NULL,
    source              text NOT NULL,
    source_id           text NOT NULL,
    child_id            text NOT NULL,
    consultation_id     text,
    due_on              date NOT NULL,
    stopped_on          date,
    stop                text,
    timescales_version  text NOT NULL,
    PRIMARY KEY (kind, subject_id, party_id)
);
CREATE INDEX clocks_in_due_order ON clocks (due_on, kind, subject_id, party_id);
CREATE INDEX clocks_by_source ON clocks (source, source_id);

-- The cases recorded before clocks were kept: the service computes their clocks when it starts,
-- a batch at a time, and takes each case off this list as it does.
CREATE TABLE clocks_to_compute (
    source     text NOT NULL,
    source_id  text NOT NULL,
    PRIMARY KEY (source, source_id)
);
INSERT INTO clocks_to_compute (source, source_id)
    SELECT 'consultation', consultation_id FROM consultations
    UNION ALL SELECT 'placement', placement_id FROM placements WHERE has_ehcp
    UNION ALL SELECT 'assessment', assessment_id FROM assessments;
