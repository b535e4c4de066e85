-- Outbox delivery (docs/notifications.md): when the current delivery window of a message started (its first
-- attempt, or the last manual retry), so the give-up horizon (72 h by default) counts from there and not
-- from when the message was written: a notice waiting for an SMTP server to be configured still gets its
-- full retry window, and so does a failed message that someone retries by hand.
ALTER TABLE outbox ADD COLUMN window_started_at timestamptz;

-- The outbox page lists the newest messages first, with or without a case.
CREATE INDEX outbox_recent ON outbox (org_id, created_at DESC, message_id DESC);

-- An organisation's own wording of a notice, replacing the built-in template of that kind and language.
-- Templates are checked on save: only known {{variables}}.
CREATE TABLE notice_templates (
  org_id     text NOT NULL REFERENCES orgs (org_id),
  kind       text NOT NULL,
  lang       text NOT NULL CHECK (lang IN ('zh-CN', 'en')),
  subject    text NOT NULL,
  body       text NOT NULL,
  version    integer NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL,
  PRIMARY KEY (org_id, kind, lang)
);
