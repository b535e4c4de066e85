-- The recall workflow (docs/recall.md): cases and their decisions, frozen scope versions, holds that
-- POS systems check, store and warehouse tasks, returns, dispositions, evidence, the notification
-- outbox, webhook endpoints, the holiday calendar of the legal clocks, and members for consumer notices.

-- A case's current state, as the pure state machine (src/core/recall) left it after `version` entries.
CREATE TABLE recall_cases (
  org_id      text NOT NULL REFERENCES orgs (org_id),
  case_id     text NOT NULL,
  case_number text NOT NULL,
  drill       boolean NOT NULL DEFAULT false,
  status      text NOT NULL,
  state       jsonb NOT NULL,
  version     integer NOT NULL,
  opened_at   timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, case_id),
  UNIQUE (org_id, case_number)
);
CREATE INDEX recall_cases_status ON recall_cases (org_id, status, opened_at);

-- Every accepted command, in order: who, when, why. Never edited; a later entry supersedes.
CREATE TABLE recall_entries (
  org_id     text NOT NULL REFERENCES orgs (org_id),
  case_id    text NOT NULL,
  seq        integer NOT NULL,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  role       text,
  command    text NOT NULL,
  body       jsonb NOT NULL,
  reason     text,
  request_id text,
  PRIMARY KEY (org_id, case_id, seq)
);
CREATE TRIGGER recall_entries_append_only BEFORE UPDATE OR DELETE ON recall_entries
  FOR EACH ROW EXECUTE FUNCTION lotline_append_only();

-- Frozen scope snapshots: items with the reason (rule and evidence) for each, and the diff from the
-- previous version. Only approved_at / approved_by change, once.
CREATE TABLE recall_scope_versions (
  org_id      text NOT NULL REFERENCES orgs (org_id),
  case_id     text NOT NULL,
  version     integer NOT NULL,
  created_at  timestamptz NOT NULL,
  created_by  text NOT NULL,
  reason      text NOT NULL,
  basis       jsonb NOT NULL,
  items       jsonb NOT NULL,
  diff        jsonb NOT NULL,
  totals      jsonb NOT NULL,
  approved_at timestamptz,
  approved_by text,
  PRIMARY KEY (org_id, case_id, version)
);

-- What is not sellable and not shippable: one row per lot of an approved scope.
CREATE TABLE recall_holds (
  org_id        text NOT NULL REFERENCES orgs (org_id),
  case_id       text NOT NULL,
  node          text NOT NULL,
  gtin          text,
  lot           text,
  scope_version integer NOT NULL,
  placed_at     timestamptz NOT NULL,
  released_at   timestamptz,
  PRIMARY KEY (org_id, case_id, node)
);
CREATE INDEX recall_holds_active ON recall_holds (org_id, node) WHERE released_at IS NULL;

-- Bumped in the transaction of every hold change: the ETag of block lists, and the signal for caches.
CREATE TABLE recall_hold_heads (
  org_id     text PRIMARY KEY REFERENCES orgs (org_id),
  revision   bigint NOT NULL,
  changed_at timestamptz NOT NULL
);

-- Per store: take off the shelf and acknowledge; per warehouse: quarantine.
CREATE TABLE recall_tasks (
  org_id           text NOT NULL REFERENCES orgs (org_id),
  case_id          text NOT NULL,
  location_id      text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('shelf_removal', 'quarantine')),
  status           text NOT NULL CHECK (status IN ('open', 'acknowledged', 'cancelled')),
  units_expected   double precision,
  units_removed    double precision,
  ack_token_hash   text NOT NULL,
  created_at       timestamptz NOT NULL,
  due_at           timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  acknowledged_by  text,
  note             text,
  escalation_level integer NOT NULL DEFAULT 0,
  escalated_at     timestamptz,
  PRIMARY KEY (org_id, case_id, location_id, kind)
);
-- The acknowledgement link carries the organisation and a secret; only the secret's hash is kept.
CREATE UNIQUE INDEX recall_tasks_ack_token ON recall_tasks (org_id, ack_token_hash);
CREATE INDEX recall_tasks_due ON recall_tasks (org_id, status, due_at);

-- Consumer returns (scan-to-return tickets) and store returns recorded by code.
CREATE TABLE recall_returns (
  org_id       text NOT NULL REFERENCES orgs (org_id),
  return_id    text NOT NULL,
  case_id      text NOT NULL,
  reference    text NOT NULL,
  channel      text NOT NULL CHECK (channel IN ('consumer', 'store')),
  code         text NOT NULL,
  node         text NOT NULL,
  lot          text,
  quantity     double precision NOT NULL,
  compensation text,
  contact      jsonb,
  location_id  text,
  status       text NOT NULL,
  event_id     text,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (org_id, return_id),
  UNIQUE (org_id, reference)
);
CREATE INDEX recall_returns_case ON recall_returns (org_id, case_id, created_at);

-- Evidence files of a case (complaint photos, QC reports, witness statements).
CREATE TABLE recall_attachments (
  org_id        text NOT NULL REFERENCES orgs (org_id),
  attachment_id text NOT NULL,
  case_id       text NOT NULL,
  file_name     text NOT NULL,
  media_type    text NOT NULL,
  size          integer NOT NULL,
  sha256        text NOT NULL,
  content       bytea NOT NULL,
  created_at    timestamptz NOT NULL,
  created_by    text NOT NULL,
  PRIMARY KEY (org_id, attachment_id)
);
CREATE INDEX recall_attachments_case ON recall_attachments (org_id, case_id);

-- Working days of the legal clocks: weekends are days off unless listed as 'workday'; listed
-- 'holiday' dates are off.
CREATE TABLE holiday_calendar (
  org_id text NOT NULL REFERENCES orgs (org_id),
  day    date NOT NULL,
  kind   text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name   text NOT NULL DEFAULT '',
  PRIMARY KEY (org_id, day)
);

-- Loyalty members and what they bought, so consumers whose purchases are in scope can be told.
CREATE TABLE members (
  org_id     text NOT NULL REFERENCES orgs (org_id),
  member_id  text NOT NULL,
  name       text,
  email      text,
  phone      text,
  lang       text NOT NULL DEFAULT 'zh-CN',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, member_id)
);
CREATE TABLE member_purchases (
  org_id       text NOT NULL REFERENCES orgs (org_id),
  member_id    text NOT NULL,
  purchase_id  text NOT NULL,
  gtin         text NOT NULL,
  lot          text,
  serial       text,
  lot_node     text,
  store_id     text,
  quantity     double precision NOT NULL DEFAULT 1,
  purchased_at timestamptz NOT NULL,
  PRIMARY KEY (org_id, member_id, purchase_id)
);
CREATE INDEX member_purchases_lot ON member_purchases (org_id, lot_node);

-- Where signed webhooks go: a store's POS, a distributor's system. location_id scopes an endpoint to
-- one store's block-list changes; null receives every change of the organisation.
CREATE TABLE webhook_endpoints (
  org_id      text NOT NULL REFERENCES orgs (org_id),
  endpoint_id text NOT NULL,
  url         text NOT NULL,
  secret      text NOT NULL,
  location_id text,
  topics      text[] NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (org_id, endpoint_id)
);

-- The durable outbox: written in the transaction of the decision that caused the message, delivered
-- afterwards with retries. The idempotency key makes a re-run of the same decision a no-op, and is
-- sent along so receivers can drop a duplicate delivery.
CREATE TABLE outbox (
  org_id          text NOT NULL REFERENCES orgs (org_id),
  message_id      text NOT NULL,
  idempotency_key text NOT NULL,
  case_id         text,
  audience        text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('email', 'webhook', 'sms')),
  recipient       text NOT NULL,
  lang            text NOT NULL,
  subject         text NOT NULL,
  body            text NOT NULL,
  payload         jsonb NOT NULL,
  dry_run         boolean NOT NULL DEFAULT false,
  status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'dry_run')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_attempt_at timestamptz,
  last_error      text,
  sent_at         timestamptz,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (org_id, message_id),
  UNIQUE (org_id, idempotency_key)
);
CREATE INDEX outbox_due ON outbox (org_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_case ON outbox (org_id, case_id, created_at);

-- Every delivery attempt, for the visible delivery status.
CREATE TABLE outbox_attempts (
  org_id      text NOT NULL REFERENCES orgs (org_id),
  message_id  text NOT NULL,
  attempt     integer NOT NULL,
  at          timestamptz NOT NULL,
  ok          boolean NOT NULL,
  detail      text NOT NULL,
  PRIMARY KEY (org_id, message_id, attempt)
);
CREATE TRIGGER outbox_attempts_append_only BEFORE UPDATE OR DELETE ON outbox_attempts
  FOR EACH ROW EXECUTE FUNCTION lotline_append_only();

-- Per organisation: who the regulator and escalation contacts are, how long stores have to
-- acknowledge, the public base URL of acknowledgement links (docs/recall.md, "Settings").
CREATE TABLE recall_settings (
  org_id     text PRIMARY KEY REFERENCES orgs (org_id),
  settings   jsonb NOT NULL,
  version    integer NOT NULL,
  updated_at timestamptz NOT NULL
);
