-- Scoring: the append-only score ledger (who, what, why, when) and the scoreboard
-- mode of each exercise. Scoreboards are never stored: they are derived from the
-- ledger, so they can always be recomputed.

-- One row per (exercise, team) that has scored. Appending to a team's ledger first
-- takes this row FOR UPDATE: two concurrent submissions of one team are decided
-- one after the other on the committed state, so points are never awarded twice.
CREATE TABLE score_teams (
  exercise_id text NOT NULL CHECK (exercise_id <> ''),
  team        text NOT NULL CHECK (team <> ''),
  PRIMARY KEY (exercise_id, team)
);

-- No foreign key to exercises: the ledger outlives nothing, and a cascading delete
-- would be refused by the append-only trigger anyway.
CREATE TABLE ledger_entries (
  seq              bigserial PRIMARY KEY,
  exercise_id      text NOT NULL,
  team             text NOT NULL,
  objective        text NOT NULL DEFAULT '',
  item             text NOT NULL DEFAULT '',
  kind             text NOT NULL CHECK (kind IN ('solve', 'partial', 'wrong_answer', 'hint',
                                                 'solution_reveal', 'adjustment',
                                                 'service_penalty')),
  points           integer NOT NULL,
  actor            text NOT NULL,
  reason           text NOT NULL,
  exercise_time_ms bigint NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (exercise_id, team) REFERENCES score_teams (exercise_id, team),
  -- An adjustment without a reason is not an adjustment anyone can audit.
  CONSTRAINT ledger_adjustment_has_reason CHECK (kind <> 'adjustment' OR btrim(reason) <> '')
);
CREATE INDEX ledger_entries_state_idx ON ledger_entries (exercise_id, team, objective, seq);

CREATE FUNCTION ledger_entries_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only: % is refused; correct a score with an adjustment entry instead', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER ledger_entries_no_update_delete
  BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
CREATE TRIGGER ledger_entries_no_truncate
  BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only();

-- What trainees may see of the other teams; instructors always see everything.
CREATE TABLE scoreboard_modes (
  exercise_id  text PRIMARY KEY CHECK (exercise_id <> ''),
  mode         text NOT NULL CHECK (mode IN ('live', 'frozen', 'hidden')),
  freeze_at_ms bigint NOT NULL DEFAULT 0,
  changed_by   text NOT NULL,
  changed_at   timestamptz NOT NULL DEFAULT now()
);
