-- A republication: the broker lost events this service published (its data was reset while this
-- database was kept), so the relay publishes the whole outbox again, with the same ids, hashes
-- and order (`inclusion log rebuild`). Deliveries are kept, append-only, under the republication
-- they belong to; only the latest one's describe the log the broker holds now.
CREATE TABLE outbox_republication (
    number        bigint PRIMARY KEY CHECK (number > 0),
    requested_at  timestamptz NOT NULL DEFAULT now(),
    reason        text NOT NULL
);
CREATE TRIGGER outbox_republication_append_only BEFORE UPDATE OR DELETE ON outbox_republication
    FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER outbox_republication_no_truncate BEFORE TRUNCATE ON outbox_republication
    FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
REVOKE UPDATE, DELETE, TRUNCATE ON outbox_republication FROM PUBLIC, CURRENT_USER;

ALTER TABLE outbox_delivery ADD COLUMN republication bigint NOT NULL DEFAULT 0;
ALTER TABLE outbox_delivery DROP CONSTRAINT outbox_delivery_pkey;
ALTER TABLE outbox_delivery ADD PRIMARY KEY (republication, seq);
