-- The inject timeline: one exercise clock per exercise and one execution per
-- (exercise, team, item). Each execution carries the compiled item (variables
-- substituted) so that a restarted cyranged resumes without the scenario file.
-- Executions move pending -> due -> firing -> done | failed | skipped by
-- compare-and-set updates (UPDATE ... WHERE state = ...): the claim due -> firing
-- succeeds for one engine only, so nothing fires twice.
-- exercise_id is not a foreign key yet: timelines are armed before the exercise
-- lifecycle records them in exercises.

CREATE TABLE timeline_clocks (
  exercise_id         text PRIMARY KEY CHECK (exercise_id <> ''),
  started_at          timestamptz,
  segment_started_at  timestamptz NOT NULL,
  accumulated_seconds double precision NOT NULL DEFAULT 0 CHECK (accumulated_seconds >= 0),
  speed               double precision NOT NULL DEFAULT 1 CHECK (speed > 0),
  paused              boolean NOT NULL DEFAULT false
);

CREATE TABLE timeline_executions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  exercise_id text NOT NULL CHECK (exercise_id <> ''),
  team        text NOT NULL CHECK (team <> ''),
  item_id     text NOT NULL CHECK (item_id <> ''),
  seq         integer NOT NULL,
  definition  jsonb NOT NULL,
  state       text NOT NULL DEFAULT 'pending'
              CHECK (state IN ('pending', 'due', 'firing', 'done', 'failed', 'skipped')),
  -- Exercise seconds, on the exercise clock.
  due_at      double precision,
  fired_at    double precision,
  finished_at double precision,
  attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  choice      text,
  chosen_at   double precision,
  detail      text NOT NULL DEFAULT '',
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (exercise_id, team, item_id),
  -- A claimed or finished execution always says when it fired.
  CONSTRAINT timeline_fired_when_claimed
    CHECK (state NOT IN ('firing', 'done') OR fired_at IS NOT NULL)
);
CREATE INDEX timeline_executions_open_idx ON timeline_executions (exercise_id, state)
  WHERE state IN ('pending', 'due', 'firing');
