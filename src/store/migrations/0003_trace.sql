-- The trace graph, derived from EPCIS events in the transaction that captures them (docs/trace.md).
-- Every row carries the ledger seq of its event: "as of" a record time filters on seq, and error
-- declarations retract by seq. These tables are derived, not evidence: the ledger is epcis_events.

-- Directed flow edges: input → tx:…, tx:… → output, child → parent (packed / unpacked),
-- lot → parent (carries: the parent holds qty units of the lot).
CREATE TABLE trace_links (
  org_id     text NOT NULL REFERENCES orgs (org_id),
  seq        bigint NOT NULL,
  ord        integer NOT NULL,
  src        text NOT NULL,
  dst        text NOT NULL,
  link       text NOT NULL CHECK (link IN ('consumed', 'produced', 'packed', 'unpacked', 'carries', 'associated')),
  event_time timestamptz NOT NULL,
  qty        double precision,
  uom        text,
  PRIMARY KEY (org_id, seq, ord)
);
CREATE INDEX trace_links_src ON trace_links (org_id, src);
CREATE INDEX trace_links_dst ON trace_links (org_id, dst);

-- Unit serials as ranges: series = 'gtin|serial prefix|digit width', lo..hi the numeric tail.
-- commissioned: the units belong to lot (from ILMD or the Digital Link); packed / unpacked: into or
-- out of target; input / output: of a transformation (target = the tx: node).
CREATE TABLE trace_units (
  org_id     text NOT NULL REFERENCES orgs (org_id),
  seq        bigint NOT NULL,
  ord        integer NOT NULL,
  role       text NOT NULL CHECK (role IN ('commissioned', 'packed', 'unpacked', 'input', 'output')),
  series     text NOT NULL,
  lo         bigint NOT NULL,
  hi         bigint NOT NULL,
  lot        text,
  target     text,
  event_time timestamptz NOT NULL,
  PRIMARY KEY (org_id, seq, ord)
);
CREATE INDEX trace_units_commissioned ON trace_units (org_id, series, lo) WHERE role = 'commissioned';
CREATE INDEX trace_units_lot ON trace_units (org_id, lot) WHERE lot IS NOT NULL;

-- Movements and observations of items at places: one row per item per event.
-- item: a lot node (its quantities, or its units seen one by one: series/lo/hi), a container,
-- or a unit whose lot is not known.
CREATE TABLE trace_moves (
  org_id      text NOT NULL REFERENCES orgs (org_id),
  seq         bigint NOT NULL,
  ord         integer NOT NULL,
  item        text NOT NULL,
  item_kind   text NOT NULL CHECK (item_kind IN ('lot', 'unit', 'container', 'product')),
  series      text,
  lo          bigint,
  hi          bigint,
  gtin        text,
  kind        text NOT NULL CHECK (kind IN ('produced', 'shipped', 'received', 'sold', 'returned', 'destroyed', 'disposed', 'wasted', 'observed')),
  qty         double precision,
  uom         text,
  place       text,
  source      text,
  destination text,
  vehicle     text,
  biz_step    text,
  disposition text,
  event_time  timestamptz NOT NULL,
  PRIMARY KEY (org_id, seq, ord)
);
CREATE INDEX trace_moves_item ON trace_moves (org_id, item, event_time);
CREATE INDEX trace_moves_gtin ON trace_moves (org_id, gtin, event_time) WHERE gtin IS NOT NULL;
CREATE INDEX trace_moves_vehicle ON trace_moves (org_id, vehicle, event_time) WHERE vehicle IS NOT NULL;

-- Sensor readings: place = read point (else business location), site = business location.
CREATE TABLE trace_readings (
  org_id     text NOT NULL REFERENCES orgs (org_id),
  seq        bigint NOT NULL,
  ord        integer NOT NULL,
  place      text,
  site       text,
  device     text,
  type       text NOT NULL,
  time       timestamptz NOT NULL,
  value      double precision,
  min_value  double precision,
  max_value  double precision,
  uom        text,
  exception  text,
  PRIMARY KEY (org_id, seq, ord)
);
CREATE INDEX trace_readings_place ON trace_readings (org_id, place, time);
CREATE INDEX trace_readings_site ON trace_readings (org_id, site, time);

-- Error declarations: the declared event (by hash ID, or event ID) leaves the trace from seq on.
CREATE TABLE trace_retractions (
  org_id   text NOT NULL REFERENCES orgs (org_id),
  seq      bigint NOT NULL,
  hash_id  text NOT NULL,
  event_id text,
  PRIMARY KEY (org_id, seq)
);

-- Co-exposure rules per organisation (GET/PUT /api/scope-rules); absent = the defaults.
CREATE TABLE scope_rules (
  org_id     text NOT NULL REFERENCES orgs (org_id) PRIMARY KEY,
  config     jsonb NOT NULL,
  version    integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
