-- Lotline foundation: organisations, tokens, audit log, master data, EPCIS events and the ledger.
-- Every tenant table has org_id first in its primary key and indexes, so it can be distributed by
-- organisation (e.g. Citus). The one exception is api_tokens_by_hash: tokens are looked up before the
-- organisation is known, so api_tokens is meant to be a reference (replicated) table.

CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE orgs (
  org_id     text PRIMARY KEY CHECK (org_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
  org_id     text NOT NULL REFERENCES orgs (org_id),
  token_id   text NOT NULL,
  token_hash text NOT NULL,
  role       text NOT NULL CHECK (role IN ('admin', 'qa', 'production', 'warehouse', 'store', 'supplier', 'regulator', 'viewer')),
  label      text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  expires_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (org_id, token_id)
);
CREATE UNIQUE INDEX api_tokens_by_hash ON api_tokens (token_hash);

CREATE TABLE audit_log (
  org_id      text NOT NULL,
  audit_id    bigint GENERATED ALWAYS AS IDENTITY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  role        text,
  action      text NOT NULL,
  target_type text,
  target_id   text,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id  text,
  PRIMARY KEY (org_id, audit_id)
);
CREATE INDEX audit_log_by_time ON audit_log (org_id, at);
CREATE INDEX audit_log_by_target ON audit_log (org_id, target_type, target_id);

-- Master data ---------------------------------------------------------------------------------

CREATE TABLE parties (
  org_id     text NOT NULL REFERENCES orgs (org_id),
  party_id   text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('supplier', 'store', 'carrier', 'distributor', 'manufacturer', 'customer', 'regulator')),
  name_zh    text NOT NULL,
  name_en    text NOT NULL,
  gln        text,
  contact    text,
  email      text,
  phone      text,
  city       text,
  region     text,
  country    text,
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  archived   boolean NOT NULL DEFAULT false,
  version    integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, party_id)
);
CREATE INDEX parties_by_kind ON parties (org_id, kind);

CREATE TABLE locations (
  org_id        text NOT NULL REFERENCES orgs (org_id),
  location_id   text NOT NULL,
  type          text NOT NULL CHECK (type IN ('supplier', 'plant', 'line', 'warehouse', 'cold_room', 'vehicle', 'store', 'qc_centre')),
  name_zh       text NOT NULL,
  name_en       text NOT NULL,
  gln           text,
  gln_extension text,
  parent_id     text,
  party_id      text,
  city          text,
  region        text,
  country       text,
  address       text,
  latitude      double precision,
  longitude     double precision,
  attributes    jsonb NOT NULL DEFAULT '{}'::jsonb,
  archived      boolean NOT NULL DEFAULT false,
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, location_id),
  FOREIGN KEY (org_id, parent_id) REFERENCES locations (org_id, location_id) DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (org_id, party_id) REFERENCES parties (org_id, party_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE UNIQUE INDEX locations_by_gln ON locations (org_id, gln, (coalesce(gln_extension, ''))) WHERE gln IS NOT NULL;
CREATE INDEX locations_by_type ON locations (org_id, type);
CREATE INDEX locations_by_parent ON locations (org_id, parent_id);

CREATE TABLE products (
  org_id           text NOT NULL REFERENCES orgs (org_id),
  product_id       text NOT NULL,
  gtin             text,
  name_zh          text NOT NULL,
  name_en          text NOT NULL,
  shelf_life_hours integer NOT NULL CHECK (shelf_life_hours > 0),
  granularity      text NOT NULL CHECK (granularity IN ('batch', 'unit')),
  product_line     text,
  brand            text,
  attributes       jsonb NOT NULL DEFAULT '{}'::jsonb,
  archived         boolean NOT NULL DEFAULT false,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, product_id)
);
CREATE UNIQUE INDEX products_by_gtin ON products (org_id, gtin) WHERE gtin IS NOT NULL;

CREATE TABLE equipment (
  org_id       text NOT NULL REFERENCES orgs (org_id),
  equipment_id text NOT NULL,
  kind         text NOT NULL,
  name_zh      text NOT NULL,
  name_en      text NOT NULL,
  location_id  text,
  model        text,
  serial_no    text,
  attributes   jsonb NOT NULL DEFAULT '{}'::jsonb,
  archived     boolean NOT NULL DEFAULT false,
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, equipment_id),
  FOREIGN KEY (org_id, location_id) REFERENCES locations (org_id, location_id) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE operators (
  org_id      text NOT NULL REFERENCES orgs (org_id),
  operator_id text NOT NULL,
  name        text NOT NULL,
  title       text,
  location_id text,
  attributes  jsonb NOT NULL DEFAULT '{}'::jsonb,
  archived    boolean NOT NULL DEFAULT false,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, operator_id),
  FOREIGN KEY (org_id, location_id) REFERENCES locations (org_id, location_id) DEFERRABLE INITIALLY DEFERRED
);

-- EPCIS events and the ledger -------------------------------------------------------------------

CREATE TABLE capture_jobs (
  org_id          text NOT NULL REFERENCES orgs (org_id),
  capture_id      text NOT NULL,
  status          text NOT NULL CHECK (status IN ('running', 'success', 'failed')),
  submitted_by    text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  event_count     integer NOT NULL DEFAULT 0,
  stored_count    integer NOT NULL DEFAULT 0,
  duplicate_count integer NOT NULL DEFAULT 0,
  errors          jsonb NOT NULL DEFAULT '[]'::jsonb,
  context         jsonb,
  PRIMARY KEY (org_id, capture_id)
);
CREATE INDEX capture_jobs_by_time ON capture_jobs (org_id, created_at);

-- One row per captured event; seq is also the event's position in its organisation's hash chain.
CREATE TABLE epcis_events (
  org_id         text NOT NULL REFERENCES orgs (org_id),
  seq            bigint NOT NULL,
  event_id       text,            -- the eventID the capturer gave, when it is not the hash ID
  hash_id        text NOT NULL,
  declares_error boolean NOT NULL DEFAULT false,
  event_type     text NOT NULL,
  event_time     timestamptz NOT NULL,
  record_time    timestamptz NOT NULL,
  capture_id     text NOT NULL,
  keys           text[] NOT NULL,
  doc            jsonb NOT NULL,
  entry_hash     text NOT NULL,   -- covers the content hash of doc, which verification recomputes
  PRIMARY KEY (org_id, seq)
);
CREATE UNIQUE INDEX epcis_events_by_hash ON epcis_events (org_id, hash_id, declares_error);
CREATE UNIQUE INDEX epcis_events_by_event_id ON epcis_events (org_id, event_id, declares_error) WHERE event_id IS NOT NULL;
CREATE INDEX epcis_events_by_event_time ON epcis_events (org_id, event_time);
-- Record time only grows with seq: a BRIN index is nearly free to maintain.
CREATE INDEX epcis_events_by_record_time ON epcis_events USING brin (org_id, record_time);
CREATE INDEX epcis_events_by_key ON epcis_events USING gin (org_id, keys);

CREATE TABLE ledger_heads (
  org_id               text PRIMARY KEY REFERENCES orgs (org_id),
  seq                  bigint NOT NULL DEFAULT 0,
  entry_hash           text NOT NULL,
  checkpointed_seq     bigint NOT NULL DEFAULT 0,
  last_checkpoint_hash text NOT NULL
);

CREATE TABLE ledger_checkpoints (
  org_id          text NOT NULL REFERENCES orgs (org_id),
  to_seq          bigint NOT NULL,
  from_seq        bigint NOT NULL,
  body            jsonb NOT NULL,
  checkpoint_hash text NOT NULL,
  signature       text NOT NULL,
  key_id          text NOT NULL,
  public_key_pem  text NOT NULL,
  PRIMARY KEY (org_id, to_seq)
);

-- Events, checkpoints and the audit log are append-only: corrections are new rows
-- (EPCIS error declarations), never updates.
CREATE FUNCTION lotline_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER epcis_events_append_only BEFORE UPDATE OR DELETE ON epcis_events
  FOR EACH ROW EXECUTE FUNCTION lotline_append_only();
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
  FOR EACH ROW EXECUTE FUNCTION lotline_append_only();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION lotline_append_only();
