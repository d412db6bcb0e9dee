-- The reviews service's state. Documents are the domain's own models as JSON (a review's
-- document holds its report, so finding text stays here and never reaches an event); columns
-- beside them are what queries filter on.

CREATE TABLE cycles (
    cycle_id      text PRIMARY KEY,
    community_id  text NOT NULL,
    district      text NOT NULL,
    area          text NOT NULL,
    document      jsonb NOT NULL,
    opened_on     date NOT NULL,
    opened_by     text NOT NULL
);
CREATE INDEX cycles_by_area ON cycles (area);

CREATE TABLE reviews (
    review_id   text PRIMARY KEY,
    cycle_id    text NOT NULL REFERENCES cycles (cycle_id),
    setting_id  text NOT NULL,
    stage       text NOT NULL,
    document    jsonb NOT NULL,
    UNIQUE (cycle_id, setting_id)
);
CREATE INDEX reviews_by_stage ON reviews (stage);

-- Each overdue action is raised once: the sweep records it here in the same transaction as
-- the event it emits.
CREATE TABLE overdue_actions (
    review_id    text NOT NULL REFERENCES reviews (review_id),
    item_id      text NOT NULL,
    due_on       date NOT NULL,
    found_as_of  date NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (review_id, item_id)
);
