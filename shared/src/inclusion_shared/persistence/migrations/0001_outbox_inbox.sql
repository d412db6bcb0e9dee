-- The kit's tables, in every service's schema: the outbox (the service's hash-chained event
-- log), where the relay recorded each event landing, the chain head, and the consumer inbox.

CREATE TABLE outbox (
    seq          bigint PRIMARY KEY,
    event_id     uuid NOT NULL UNIQUE,
    event_type   text NOT NULL,
    topic        text NOT NULL,
    key          text NOT NULL,
    payload      bytea NOT NULL,
    prev_hash    text NOT NULL,
    hash         text NOT NULL,
    traceparent  text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outbox_delivery (
    seq          bigint PRIMARY KEY REFERENCES outbox (seq),
    kafka_partition integer NOT NULL,
    kafka_offset bigint NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chain_head (
    chain  text PRIMARY KEY,
    seq    bigint NOT NULL,
    hash   text NOT NULL
);

CREATE TABLE inbox (
    consumer        text NOT NULL,
    event_id        uuid NOT NULL,
    topic           text NOT NULL,
    kafka_partition integer NOT NULL,
    kafka_offset    bigint NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- Event rows are append-only, for the service's own role too (owners bypass REVOKE, not
-- triggers). Only a superuser who disables triggers can alter them, and the chain shows it.
CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER outbox_append_only BEFORE UPDATE OR DELETE ON outbox
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER outbox_no_truncate BEFORE TRUNCATE ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER outbox_delivery_append_only BEFORE UPDATE OR DELETE ON outbox_delivery
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER outbox_delivery_no_truncate BEFORE TRUNCATE ON outbox_delivery
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER inbox_append_only BEFORE UPDATE OR DELETE ON inbox
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

REVOKE UPDATE, DELETE, TRUNCATE ON outbox, outbox_delivery, inbox FROM PUBLIC, CURRENT_USER;

-- One chain per service, named after its schema, starting from the genesis hash.
INSERT INTO chain_head (chain, seq, hash) VALUES (current_schema(), 0, repeat('0', 64));
