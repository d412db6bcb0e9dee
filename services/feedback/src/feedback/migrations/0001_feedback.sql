-- The feedback service's state. Documents are the domain's own models as JSON (codes and
-- pseudonymous ids only); columns beside them are what queries filter on. A response's free
-- text is never here: it is in personal_records, encrypted under its respondent's key.

CREATE TABLE surveys (
    survey_id  text PRIMARY KEY,
    status     text NOT NULL,
    document   jsonb NOT NULL
);

-- Settings as the placements service registers them, for their Community of Schools.
CREATE TABLE known_settings (
    setting_id            text PRIMARY KEY,
    district              text NOT NULL,
    area                  text NOT NULL,
    community_of_schools  text
);

-- An invitation is unique per cause: a redelivered or re-published cause invites once.
CREATE TABLE invitations (
    invitation_id    text PRIMARY KEY,
    cause            text NOT NULL,
    cause_id         text NOT NULL,
    child_id         text,
    setting_id       text NOT NULL,
    due_on           date NOT NULL,
    responded_on     date,
    caused_by_event  uuid NOT NULL,
    document         jsonb NOT NULL,
    UNIQUE (cause, cause_id)
);
CREATE INDEX invitations_by_child ON invitations (child_id);
CREATE INDEX invitations_by_setting ON invitations (setting_id);

-- `person_id` owns the key the free text is sealed under: the child, the named respondent, or
-- (anonymous) the response itself. Anonymous responses keep no respondent or child.
CREATE TABLE responses (
    response_id     text PRIMARY KEY,
    survey_id       text NOT NULL REFERENCES surveys (survey_id),
    status          text NOT NULL,
    respondent_id   text,
    child_id        text,
    person_id       text NOT NULL,
    text_record_id  text,
    received_on     date NOT NULL,
    document        jsonb NOT NULL
);
CREATE INDEX responses_by_survey ON responses (survey_id);
CREATE INDEX responses_by_respondent ON responses (respondent_id);
CREATE INDEX responses_by_child ON responses (child_id);
CREATE INDEX responses_by_person ON responses (person_id);
CREATE INDEX responses_awaiting_moderation ON responses (received_on)
    WHERE status = 'awaiting_moderation';

CREATE TABLE themes (
    theme     text PRIMARY KEY,
    document  jsonb NOT NULL
);

CREATE TABLE actions (
    action_id  text PRIMARY KEY,
    status     text NOT NULL,
    document   jsonb NOT NULL
);
