-- EHC needs assessments, from placements' assessment steps: when each was requested and when
-- its final plan was issued, for the 20-week timeliness figure.
CREATE TABLE assessments (
    assessment_id    text PRIMARY KEY,
    district         text NOT NULL,
    area             text NOT NULL,
    requested_on     date,
    final_issued_on  date
);
