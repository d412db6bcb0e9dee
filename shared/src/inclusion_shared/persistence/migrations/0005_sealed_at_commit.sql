-- Events take their chain place at commit, not when they are appended. A handler inserts its
-- events unsealed, with no lock; a deferred trigger then seals each one as the transaction
-- commits: it locks the chain head, hashes the event at the next position after the head's
-- hash, inserts it into the outbox and moves the head. The head's lock is held from there to
-- the end of the commit only (it used to be held across the handler's last round trips), and
-- as before sequence order is commit order, so the relay never skips a row.
--
-- Python gives each event as the two halves of its RFC 8785 canonical form around its chain
-- place (`"chainprev":"…","chainseq":N`, adjacent in key order): the hash is SHA-256 over
-- head || place || tail, and the stored payload adds `"chainhash":"…",` before the place,
-- which is where the canonical form of the whole event has it.
CREATE TABLE outbox_pending (
    id           bigserial PRIMARY KEY,
    event_id     uuid NOT NULL,
    event_type   text NOT NULL,
    topic        text NOT NULL,
    key          text NOT NULL,
    head         bytea NOT NULL,
    tail         bytea NOT NULL,
    traceparent  text
);

CREATE FUNCTION seal_pending_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    position bigint;
    previous text;
    place bytea;
    sealed text;
BEGIN
    SELECT seq + 1, hash INTO position, previous
        FROM chain_head WHERE chain = current_schema() FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no chain head in schema %', current_schema();
    END IF;
    place := convert_to('"chainprev":"' || previous || '","chainseq":' || position, 'UTF8');
    sealed := encode(sha256(NEW.head || place || NEW.tail), 'hex');
    INSERT INTO outbox (seq, event_id, event_type, topic, key, payload, prev_hash, hash,
                        traceparent)
    VALUES (position, NEW.event_id, NEW.event_type, NEW.topic, NEW.key,
            NEW.head || convert_to('"chainhash":"' || sealed || '",', 'UTF8') || place
                || NEW.tail,
            previous, sealed, NEW.traceparent);
    UPDATE chain_head SET seq = position, hash = sealed WHERE chain = current_schema();
    DELETE FROM outbox_pending WHERE id = NEW.id;
    PERFORM pg_notify('outbox_' || current_schema(), '');
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER outbox_pending_sealed_at_commit AFTER INSERT ON outbox_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION seal_pending_event();
