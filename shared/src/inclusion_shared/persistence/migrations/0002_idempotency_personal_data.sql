-- Commands answered once: a replayed request with the same Idempotency-Key gets the stored
-- answer and changes nothing.
CREATE TABLE idempotency_keys (
    key           text NOT NULL,
    subject       text NOT NULL,
    request_hash  text NOT NULL,
    status_code   integer NOT NULL,
    response      jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, key)
);

-- A person's details, encrypted under a key of their own (itself wrapped by the service's
-- master key). Deleting the row erases the details wherever the ciphertext was copied.
CREATE TABLE personal_data (
    person_id    text PRIMARY KEY,
    wrapped_key  bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE personal_records (
    record_id    text PRIMARY KEY,
    person_id    text NOT NULL REFERENCES personal_data (person_id) ON DELETE CASCADE,
    kind         text NOT NULL,
    ciphertext   bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
