-- People who sign in to the console with a login name and password (issue 6), and their sessions.
-- Like every table but api_tokens, both lead with org_id: a session cookie carries its organisation
-- (`<org>.<secret>`, as recall acknowledgement links do), so the secret is looked up within it.

CREATE TABLE users (
  org_id        text NOT NULL REFERENCES orgs (org_id),
  user_id       text NOT NULL,
  login         text NOT NULL CHECK (length(login) BETWEEN 1 AND 100),
  display_name  text NOT NULL DEFAULT '',
  role          text NOT NULL CHECK (role IN ('admin', 'qa', 'production', 'warehouse', 'store', 'supplier', 'regulator', 'viewer')),
  -- scrypt$N$r$p$salt$hash (base64url); never the password.
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz,
  PRIMARY KEY (org_id, user_id)
);
-- Login names are case-insensitive within an organisation.
CREATE UNIQUE INDEX users_by_login ON users (org_id, lower(login));

CREATE TABLE user_sessions (
  org_id       text NOT NULL,
  session_id   text NOT NULL,
  -- SHA-256 of the cookie's secret part.
  secret_hash  text NOT NULL,
  user_id      text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- Absolute end (7 days after sign-in); the 12-hour idle limit is checked against last_seen_at.
  expires_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  PRIMARY KEY (org_id, session_id),
  FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, user_id)
);
CREATE UNIQUE INDEX user_sessions_by_secret ON user_sessions (org_id, secret_hash);
CREATE INDEX user_sessions_by_user ON user_sessions (org_id, user_id) WHERE revoked_at IS NULL;
