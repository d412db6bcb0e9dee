-- The stored roster of peer reviewers: each reviewer's current entry (the log keeps every
-- version). Columns beside the document are what lists filter on.

CREATE TABLE reviewers (
    reviewer_id  text PRIMARY KEY,
    setting_id   text NOT NULL,
    district     text NOT NULL,
    version      integer NOT NULL,
    document     jsonb NOT NULL
);
CREATE INDEX reviewers_by_district ON reviewers (district);
