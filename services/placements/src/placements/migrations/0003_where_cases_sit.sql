-- Where each case sits, so access is checked against the record and lists are filtered in SQL
-- (#19). A case sits in the district of its request (where the child lives); its consultations,
-- decisions, offers and placements are read with their request's district. A case is before the
-- panel that last decided it: until a decision it is before no panel.

ALTER TABLE requests ADD COLUMN panel_id text;
UPDATE requests r SET panel_id = (
    SELECT d.record -> 'panel' ->> 'panel_id' FROM decisions d WHERE d.request_id = r.request_id
    ORDER BY d.decided_on DESC, d.decision_id DESC LIMIT 1);

-- A clock sits where the case it is computed from sits: the list of clocks, the sweep and
-- timeliness filter and count by it.
ALTER TABLE clocks ADD COLUMN district text;
UPDATE clocks c SET district = CASE c.source
    WHEN 'assessment' THEN
        (SELECT a.district FROM assessments a WHERE a.assessment_id = c.source_id)
    WHEN 'consultation' THEN
        (SELECT r.district FROM consultations k JOIN requests r ON r.request_id = k.request_id
         WHERE k.consultation_id = c.source_id)
    WHEN 'placement' THEN
        (SELECT r.district FROM placements p JOIN offers o ON o.offer_id = p.offer_id
         JOIN requests r ON r.request_id = o.request_id WHERE p.placement_id = c.source_id)
END;
ALTER TABLE clocks ALTER COLUMN district SET NOT NULL;
CREATE INDEX clocks_by_district_in_due_order ON clocks (district, due_on, kind, subject_id, party_id);
