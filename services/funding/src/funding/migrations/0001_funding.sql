-- The funding service's state. Documents are the domain's own models as JSON; columns beside
-- them are what queries filter on.

CREATE TABLE policies (
    version         text PRIMARY KEY,
    effective_from  date NOT NULL UNIQUE,
    document        jsonb NOT NULL,
    published_by    text NOT NULL,
    published_at    timestamptz NOT NULL DEFAULT now()
);

-- Settings as the placements service registers them (consumed from its events).
CREATE TABLE known_settings (
    setting_id    text PRIMARY KEY,
    setting_type  text NOT NULL,
    district      text NOT NULL,
    area          text NOT NULL
);

CREATE TABLE applications (
    application_id    text PRIMARY KEY,
    scheme            text NOT NULL,
    child_id          text NOT NULL,
    setting_id        text NOT NULL,
    district          text NOT NULL,
    area              text NOT NULL,
    status            text NOT NULL,
    document          jsonb NOT NULL,
    missing           jsonb NOT NULL DEFAULT '[]',
    submitted_on      date NOT NULL,
    complete_on       date,
    reapplication_of  text REFERENCES applications (application_id)
);
CREATE INDEX applications_by_setting ON applications (setting_id);
CREATE INDEX applications_by_child ON applications (child_id);

CREATE TABLE decisions (
    decision_id       text PRIMARY KEY,
    application_id    text NOT NULL REFERENCES applications (application_id),
    outcome           text NOT NULL,
    policy_version    text NOT NULL REFERENCES policies (version),
    decided_on        date NOT NULL,
    days_to_decision  integer,
    target_breached   boolean,
    record            jsonb NOT NULL
);
CREATE INDEX decisions_by_application ON decisions (application_id);

CREATE TABLE budgets (
    area             text NOT NULL,
    financial_year   text NOT NULL,
    document         jsonb NOT NULL,
    PRIMARY KEY (area, financial_year)
);

CREATE TABLE reapplications (
    child_id                 text NOT NULL,
    previous_application_id  text NOT NULL REFERENCES applications (application_id),
    transfer                 text NOT NULL,
    new_setting_id           text NOT NULL,
    opened_by_event          uuid NOT NULL UNIQUE
);
