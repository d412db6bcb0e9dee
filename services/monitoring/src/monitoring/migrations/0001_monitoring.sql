-- The monitoring model: one row per fact the suite's events tell, with the columns the figures
-- count by. Every event fills in only its own columns (the others stay as they are), so the
-- model is the same whatever order events from different topics arrive in, and a rebuild from
-- offset 0 gives the same rows. Where a later event replaces an earlier value (a budget, a
-- status, a moderator's tags), the producing service's chain sequence decides which is later.
-- No child ids and no names: places, codes, dates and amounts only.

-- Settings as the placements service registers them: where each is, its Community of Schools.
CREATE TABLE settings (
    setting_id    text PRIMARY KEY,
    setting_type  text NOT NULL,
    district      text NOT NULL,
    area          text NOT NULL,
    community     text,
    designation   text[] NOT NULL DEFAULT '{}',
    seq           bigint NOT NULL
);

CREATE TABLE capacities (
    setting_id     text NOT NULL,
    academic_year  text NOT NULL,
    setting_type   text NOT NULL,
    district       text NOT NULL,
    area           text NOT NULL,
    places         integer NOT NULL,
    seq            bigint NOT NULL,
    PRIMARY KEY (setting_id, academic_year)
);

CREATE TABLE funding_applications (
    application_id  text PRIMARY KEY,
    scheme          text NOT NULL,
    setting_id      text NOT NULL,
    district        text NOT NULL,
    area            text NOT NULL,
    submitted_on    date NOT NULL
);

CREATE TABLE funding_decisions (
    decision_id       text PRIMARY KEY,
    scheme            text NOT NULL,
    setting_id        text NOT NULL,
    district          text NOT NULL,
    area              text NOT NULL,
    outcome           text NOT NULL,
    decided_on        date NOT NULL,
    days_to_decision  integer,
    target_breached   boolean
);

CREATE TABLE funding_budgets (
    area                 text NOT NULL,
    financial_year       text NOT NULL,
    annual_amount_pence  bigint NOT NULL,
    seq                  bigint NOT NULL,
    PRIMARY KEY (area, financial_year)
);

CREATE TABLE funding_commitments (
    commitment_id   text PRIMARY KEY,
    area            text NOT NULL,
    financial_year  text NOT NULL,
    amount_pence    bigint NOT NULL
);

-- A commitment may be released in parts: one row per release event.
CREATE TABLE funding_releases (
    event_id        uuid PRIMARY KEY,
    commitment_id   text NOT NULL,
    area            text NOT NULL,
    financial_year  text NOT NULL,
    amount_pence    bigint NOT NULL
);

-- Lodged and resolved arrive as two events; either may be first.
CREATE TABLE funding_challenges (
    challenge_id  text PRIMARY KEY,
    decision_id   text NOT NULL,
    district      text,
    area          text,
    lodged_on     date,
    result        text
);

CREATE TABLE placement_requests (
    request_id        text PRIMARY KEY,
    district          text NOT NULL,
    area              text NOT NULL,
    academic_year     text NOT NULL,
    need_type         text NOT NULL,
    provision_sought  text NOT NULL,
    received_on       date NOT NULL
);

CREATE TABLE consultations (
    consultation_id  text PRIMARY KEY,
    request_id       text NOT NULL,
    setting_id       text NOT NULL,
    sent_on          date,
    answered_on      date,
    on_time          boolean,
    overdue          boolean NOT NULL DEFAULT false
);

CREATE TABLE placements (
    placement_id  text PRIMARY KEY,
    setting_id    text NOT NULL,
    district      text NOT NULL,
    area          text NOT NULL,
    starts_on     date NOT NULL,
    transfer      text,
    moved         boolean NOT NULL
);

-- A transfer clock is seen when placements warns of it or reports it breached.
CREATE TABLE transfer_clocks (
    placement_id  text NOT NULL,
    clock         text NOT NULL,
    due_on        date NOT NULL,
    breached      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (placement_id, clock)
);

CREATE TABLE amended_plans (
    placement_id  text NOT NULL,
    issued_on     date NOT NULL,
    PRIMARY KEY (placement_id, issued_on)
);

CREATE TABLE clock_exceptions (
    exception_id  text PRIMARY KEY,
    subject_id    text NOT NULL,
    clock         text NOT NULL
);

CREATE TABLE review_cycles (
    cycle_id   text PRIMARY KEY,
    community  text NOT NULL,
    district   text NOT NULL,
    area       text NOT NULL,
    opened_on  date NOT NULL
);

CREATE TABLE reviews (
    review_id       text PRIMARY KEY,
    cycle_id        text,
    setting_id      text,
    district        text,
    area            text,
    community       text,
    scheduled_on    date,
    followed_up_on  date
);

CREATE TABLE review_actions (
    review_id     text NOT NULL,
    item_id       text NOT NULL,
    district      text NOT NULL,
    area          text NOT NULL,
    review_area   text NOT NULL,
    agreed_on     date,
    completed_on  date,
    late          boolean,
    overdue       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (review_id, item_id)
);

CREATE TABLE review_reports (
    review_id          text PRIMARY KEY,
    district           text NOT NULL,
    area               text NOT NULL,
    issued_on          date NOT NULL,
    strength_areas     text[] NOT NULL,
    development_areas  text[] NOT NULL
);

-- A response counts once it is accepted (on arrival, or when a moderator tags it) and until it
-- is withdrawn, withheld or routed to complaints; none of those can be undone.
CREATE TABLE responses (
    response_id  text PRIMARY KEY,
    voice        text,
    district     text,
    area         text,
    community    text,
    received_on  date,
    accepted     boolean NOT NULL DEFAULT false,
    excluded     boolean NOT NULL DEFAULT false,
    themes       text[] NOT NULL DEFAULT '{}',
    themes_seq   bigint NOT NULL DEFAULT 0
);

CREATE TABLE you_said_we_did (
    action_id     text PRIMARY KEY,
    status        text NOT NULL,
    published_on  date,
    seq           bigint NOT NULL
);
