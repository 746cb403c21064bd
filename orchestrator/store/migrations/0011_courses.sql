-- Self-paced study: courses an operator publishes, and the runs trainees take alone.
--
-- courses: a scenario file published as a course (its text is kept, so later edits
-- of the file do not change a course under a trainee). withdrawn_at set: no new runs.
-- course_organisations: the organisations a course is open to; none: every trainee.
-- course_runs: one trainee's run of a course on a personal exercise (one team of one).
-- The run's exercise keeps its results after the range is gone (state ended/expired).
-- api_tokens.team_id: a token issued for a run acts for the run's personal team, so
-- no other user (not even the trainee's own teammates) reaches that range.
-- organisations.self_paced_quota: runs of its trainees holding a range at once.

CREATE TABLE courses (
  id                  text PRIMARY KEY CHECK (id ~ '^[a-z0-9_]{1,32}$'),
  scenario_id         text NOT NULL,
  title_ja            text NOT NULL DEFAULT '',
  title_en            text NOT NULL DEFAULT '',
  scenario_file       text NOT NULL,
  scenario_yaml       text NOT NULL,
  expires_after_days  integer NOT NULL DEFAULT 14 CHECK (expires_after_days > 0),
  -- Exercise seconds per wall second (the scenario's self_paced.clock_speed).
  clock_speed         double precision NOT NULL DEFAULT 1 CHECK (clock_speed > 0),
  published_by        text NOT NULL,
  published_at        timestamptz NOT NULL DEFAULT now(),
  withdrawn_at        timestamptz
);

CREATE TABLE course_organisations (
  course_id       text NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  PRIMARY KEY (course_id, organisation_id)
);

CREATE TABLE course_runs (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  course_id      text NOT NULL REFERENCES courses (id),
  user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- queued: waiting for room; starting: range being built; running; paused: guests
  -- saved to disk; finished, expired: range removed, results kept; failed.
  state          text NOT NULL CHECK (state IN ('queued', 'starting', 'running', 'paused',
                                                'finished', 'expired', 'failed')),
  exercise_id    text UNIQUE,
  team           text,
  detail         text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  paused_at      timestamptz,
  ended_at       timestamptz,
  last_active_at timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL
);
CREATE INDEX course_runs_user_idx ON course_runs (user_id);
CREATE INDEX course_runs_state_idx ON course_runs (state);
-- One open run per trainee and course: starting it again resumes that run.
CREATE UNIQUE INDEX course_runs_one_open_idx ON course_runs (course_id, user_id)
  WHERE state IN ('queued', 'starting', 'running', 'paused');

ALTER TABLE api_tokens ADD COLUMN team_id bigint REFERENCES teams (id);
ALTER TABLE organisations ADD COLUMN self_paced_quota integer
  CHECK (self_paced_quota IS NULL OR self_paced_quota >= 0);
