-- Joining a training day with a code, and the teams' incident reports.
--
-- join_codes: one code per team of an exercise, created by an instructor. Only the
-- SHA-256 of a code is kept (a leaked table must not let anyone join). Creating new
-- codes for an exercise revokes its older ones.
-- api_tokens.exercise_id: a token issued by redeeming a join code is bound to that
-- exercise; NULL for the tokens administrators issue.
-- reports: every save of a team's report is a new row (version 1, 2, ...), never an
-- update, so the instructor can grade against exactly what was submitted.
-- exercise_id is not a foreign key in reports, as in 0009_inbox: a report outlives
-- the exercise's range objects and refers to the exercise by its id only.

CREATE TABLE join_codes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  exercise_id text NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
  team_id     bigint NOT NULL REFERENCES teams (id),
  code_hash   text NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX join_codes_exercise_idx ON join_codes (exercise_id);

ALTER TABLE api_tokens ADD COLUMN exercise_id text REFERENCES exercises (id) ON DELETE CASCADE;

CREATE TABLE reports (
  exercise_id     text NOT NULL CHECK (exercise_id <> ''),
  team            text NOT NULL CHECK (team <> ''),
  version         integer NOT NULL CHECK (version > 0),
  timeline        text NOT NULL DEFAULT '',
  scope           text NOT NULL DEFAULT '',
  cause           text NOT NULL DEFAULT '',
  measures        text NOT NULL DEFAULT '',
  recommendations text NOT NULL DEFAULT '',
  free_text       text NOT NULL DEFAULT '',
  submitted       boolean NOT NULL DEFAULT false,
  saved_by        text NOT NULL,
  saved_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (exercise_id, team, version)
);
