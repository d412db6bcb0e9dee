-- A foreign key check takes a KEY SHARE lock on the referenced outbox row, which needs the
-- UPDATE privilege that 0001 revokes from the service's own role: the relay could not record
-- where an event landed. The relay only ever records rows it has just read from the outbox.
ALTER TABLE outbox_delivery DROP CONSTRAINT outbox_delivery_seq_fkey;
