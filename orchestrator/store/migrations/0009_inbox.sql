-- The trainees' inbox: every message delivered to a team of an exercise (the
-- scenario's briefing, its messages and notice steps), stored once per source so that
-- a step re-run after a restart never delivers twice. Ids grow with delivery order:
-- a reconnecting client asks for the messages after the last id it has.
-- exercise_id is not a foreign key: timelines (which deliver) are armed before the
-- exercise lifecycle records them, as in 0004_timeline.

CREATE TABLE inbox_messages (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  exercise_id   text NOT NULL CHECK (exercise_id <> ''),
  team          text NOT NULL CHECK (team <> ''),
  source        text NOT NULL CHECK (source <> ''),
  kind          text NOT NULL CHECK (kind IN ('briefing', 'message', 'notice')),
  sender        text NOT NULL DEFAULT '',
  subject       text NOT NULL DEFAULT '',
  text_ja       text NOT NULL,
  text_en       text NOT NULL,
  -- Exercise seconds at delivery, on the exercise clock.
  exercise_time double precision NOT NULL DEFAULT 0,
  delivered_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (exercise_id, team, source)
);
CREATE INDEX inbox_messages_team_idx ON inbox_messages (exercise_id, team, id);
