-- Identity: teams, users, their personal data, API tokens and the audit log.
-- Personal data (real name, e-mail) lives only in user_personal_data so that it can
-- be exported or erased without touching recordings, which refer to users by id.

CREATE TABLE teams (
  id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name <> '')
);

CREATE TABLE users (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name    text NOT NULL UNIQUE CHECK (name <> ''),
  role    text NOT NULL CHECK (role IN ('admin', 'instructor', 'designer', 'trainee')),
  team_id bigint REFERENCES teams (id),
  -- A trainee always plays in exactly one team; staff never belong to one.
  CONSTRAINT users_team_iff_trainee CHECK ((role = 'trainee') = (team_id IS NOT NULL))
);
CREATE INDEX users_team_id_idx ON users (team_id);

CREATE TABLE user_personal_data (
  user_id      bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  display_name text NOT NULL DEFAULT '',
  email        text NOT NULL DEFAULT ''
);

CREATE TABLE api_tokens (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Only the SHA-256 of a token is kept: a leaked table must not grant access.
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  -- NULL for actions taken on the command line by the operator of the host.
  actor_user_id bigint REFERENCES users (id) ON DELETE SET NULL,
  action        text NOT NULL,
  object        text NOT NULL,
  detail        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
