-- The consumer page (docs/consumer.md): what a consumer who scans a pack's QR code may see, what they
-- tell the brand (complaints, with an optional photo), and the scans behind the authenticity hint.
-- The page is anonymous; nothing here is reachable without knowing the organisation's GTINs, and the
-- QA API reads it per organisation like every other tenant table (org_id first in every key and index).

-- Complaints from the consumer page, linked to the exact code scanned and the lot it resolved to.
-- complaint_id is the reference shown to the consumer (CP- + 8 characters without look-alikes).
CREATE TABLE consumer_complaints (
  org_id       text NOT NULL REFERENCES orgs (org_id),
  complaint_id text NOT NULL,
  -- The scanned code as a canonical Digital Link with every key qualifier (GTIN, lot, serial).
  code         text NOT NULL,
  -- The trace node of the unit (null for a lot or product code) and of its lot (null when unknown).
  unit_node    text,
  lot_node     text,
  text         text NOT NULL,
  photo        bytea,
  photo_type   text CHECK (photo_type IN ('image/jpeg', 'image/png', 'image/webp')),
  -- { phone?, email? } as the consumer gave them; personal data (read with members:manage only).
  contact      jsonb NOT NULL DEFAULT '{}'::jsonb,
  lang         text NOT NULL CHECK (lang IN ('zh-CN', 'en')),
  status       text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'reviewing', 'closed')),
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (org_id, complaint_id),
  CHECK ((photo IS NULL) = (photo_type IS NULL))
);
-- The QA list: newest first, paged by (created_at, complaint_id).
CREATE INDEX consumer_complaints_recent ON consumer_complaints (org_id, created_at DESC, complaint_id DESC);
CREATE INDEX consumer_complaints_lot ON consumer_complaints (org_id, lot_node) WHERE lot_node IS NOT NULL;

-- One row per consumer page view of a scanned code (not language switches or form answers).
-- ip_hash is a hash of the network prefix (/24 for IPv4, /48 for IPv6) with the organisation, never
-- the address; ua_hash a hash of the User-Agent. geo_hint is a city when a trusted proxy supplies one.
CREATE TABLE consumer_scans (
  org_id    text NOT NULL REFERENCES orgs (org_id),
  scan_id   text NOT NULL,
  code      text NOT NULL,
  unit_node text,
  lot_node  text,
  at        timestamptz NOT NULL,
  ip_hash   text NOT NULL,
  ua_hash   text,
  geo_hint  text,
  PRIMARY KEY (org_id, scan_id)
);
-- The authenticity hint counts the scans of one unit.
CREATE INDEX consumer_scans_unit ON consumer_scans (org_id, unit_node, at) WHERE unit_node IS NOT NULL;
CREATE INDEX consumer_scans_time ON consumer_scans (org_id, at);

-- Which facts an organisation shows on the consumer page (absent row = the defaults: all shown).
-- The product name, batch and any recall notice are always shown.
CREATE TABLE consumer_settings (
  org_id     text NOT NULL REFERENCES orgs (org_id) PRIMARY KEY,
  public     jsonb NOT NULL,
  version    integer NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL
);
