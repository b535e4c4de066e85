-- Unit serials are unique per GTIN for the GTIN's lifetime (GS1 General Specifications): labels take
-- them from one counter per GTIN (batch_code_sequences scope 'serial|{gtin}'), and each print run
-- records which serials went to which batch, so a reprint can only repeat a batch's own serials.
CREATE TABLE label_print_runs (
  org_id       text NOT NULL REFERENCES orgs (org_id),
  gtin         text NOT NULL,
  first_serial bigint NOT NULL,
  last_serial  bigint NOT NULL,
  batch_code   text NOT NULL,
  printed_at   timestamptz NOT NULL DEFAULT now(),
  -- Runs of earlier releases may overlap across batches (their serials repeated); new runs never do.
  PRIMARY KEY (org_id, gtin, batch_code, first_serial)
);

-- Counters of earlier releases were per GTIN and batch (so two batches could carry the same serials);
-- carry their serials over as print runs and start each GTIN's counter after the highest of them, so
-- nothing printed is ever issued again.
INSERT INTO label_print_runs (org_id, gtin, first_serial, last_serial, batch_code)
SELECT org_id, split_part(scope, '|', 2), 1, last_seq, substr(scope, length('serial|') + length(split_part(scope, '|', 2)) + 2)
FROM batch_code_sequences WHERE scope LIKE 'serial|%|%' AND last_seq > 0
ON CONFLICT DO NOTHING;
INSERT INTO batch_code_sequences (org_id, scope, last_seq)
SELECT org_id, 'serial|' || split_part(scope, '|', 2), max(last_seq)
FROM batch_code_sequences WHERE scope LIKE 'serial|%|%' GROUP BY org_id, split_part(scope, '|', 2)
ON CONFLICT (org_id, scope) DO UPDATE SET last_seq = greatest(batch_code_sequences.last_seq, EXCLUDED.last_seq);
