-- Batch-code schemes per organisation and product line, and atomically allocated sequence numbers.

CREATE TABLE batch_code_schemes (
  org_id       text NOT NULL REFERENCES orgs (org_id),
  product_line text NOT NULL,            -- '' is the organisation's default scheme
  config       jsonb NOT NULL,
  version      integer NOT NULL DEFAULT 1,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, product_line)
);

-- One counter per production day, line and shift (the scope of a batch sequence number).
CREATE TABLE batch_code_sequences (
  org_id   text NOT NULL REFERENCES orgs (org_id),
  scope    text NOT NULL,
  last_seq integer NOT NULL,
  PRIMARY KEY (org_id, scope)
);
