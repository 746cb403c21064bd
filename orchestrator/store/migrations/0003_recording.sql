-- Trainee action recording, pseudonyms and consent.
--
-- recorder_events is partitioned by LIST (exercise_id), one partition per
-- exercise, created on demand by recorder_ensure_partition(). Per exercise rather
-- than per time range because everything done with recordings is per exercise:
-- retention and deletion drop one partition instead of deleting millions of rows,
-- research exports and analytics read one exercise, and sessions of different
-- organisations that overlap in time stay physically apart.
--
-- Events name the trainee only by a random pseudonym (trainee_pseudonyms); names
-- and e-mail addresses stay in user_personal_data. Deleting a user deletes the
-- mapping, which leaves the events anonymous.

CREATE TABLE trainee_pseudonyms (
  user_id   bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  pseudonym text NOT NULL UNIQUE
    DEFAULT 'p-' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 20)
);

-- The exactly-once watermark: every event of a client with seq <= the watermark is
-- committed. A batch is written together with the watermark update in one
-- transaction, under a row lock, so replays after a lost acknowledgement are
-- skipped instead of stored twice. A client id belongs to the user who first used it.
CREATE TABLE recorder_clients (
  client_id             uuid PRIMARY KEY,
  user_id               bigint REFERENCES users (id) ON DELETE CASCADE,
  highest_committed_seq bigint NOT NULL DEFAULT 0 CHECK (highest_committed_seq >= 0),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recorder_events (
  exercise_id  text NOT NULL,
  client_id    uuid NOT NULL,
  seq          bigint NOT NULL,
  team_id      bigint NOT NULL,
  trainee      text NOT NULL,   -- trainee_pseudonyms.pseudonym, never a user id
  kind         text NOT NULL,   -- key, mouse_move, click, scroll, focus, command, ...
  monotonic_ns bigint NOT NULL,
  wall_at      timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  data         jsonb NOT NULL   -- the kind's fields; secrets were removed at the source
) PARTITION BY LIST (exercise_id);

-- Which partition holds which exercise (partition names are hashes of the id).
CREATE TABLE recorder_partitions (
  exercise_id text PRIMARY KEY,
  table_name  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Creates the partition of `exercise` if it does not exist yet and returns its
-- name. Serialised by an advisory lock so concurrent writers never race.
CREATE FUNCTION recorder_ensure_partition(exercise text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  partition text := 'recorder_events_' || substr(md5(exercise), 1, 16);
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('cyrange.recorder_ensure_partition'));
  IF NOT EXISTS (SELECT 1 FROM recorder_partitions WHERE exercise_id = exercise) THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF recorder_events FOR VALUES IN (%L)',
                   partition, exercise);
    INSERT INTO recorder_partitions (exercise_id, table_name) VALUES (exercise, partition);
  END IF;
  RETURN partition;
END;
$$;

-- Versioned consent texts, one series per purpose. Scoring/debrief and research
-- are separate purposes: without research consent, data never leaves the exercise.
CREATE TABLE consent_texts (
  purpose      text NOT NULL CHECK (purpose IN ('scoring', 'research')),
  version      integer NOT NULL CHECK (version > 0),
  text_ja      text NOT NULL CHECK (text_ja <> ''),
  text_en      text NOT NULL CHECK (text_en <> ''),
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (purpose, version)
);

-- A trainee's consent for one exercise and purpose; withdrawal keeps the row
-- (evidence of what was agreed) and sets withdrawn_at.
CREATE TABLE consents (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  exercise_id  text NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
  purpose      text NOT NULL,
  version      integer NOT NULL,
  given_at     timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  FOREIGN KEY (purpose, version) REFERENCES consent_texts (purpose, version),
  CHECK (withdrawn_at IS NULL OR withdrawn_at >= given_at)
);
-- At most one active consent per trainee, exercise and purpose.
CREATE UNIQUE INDEX consents_active_idx ON consents (user_id, exercise_id, purpose)
  WHERE withdrawn_at IS NULL;

INSERT INTO consent_texts (purpose, version, text_ja, text_en) VALUES
  ('scoring', 1,
   '演習中のキー入力・マウス操作・コマンド等を記録し、採点と振り返り（デブリーフィング）に限って利用することに同意します。パスワード入力は記録されません。同意はいつでも撤回できます。',
   'I agree that my key input, mouse actions and commands during the exercise are recorded and used only for scoring and the debrief. Password input is never recorded. I can withdraw this consent at any time.'),
  ('research', 1,
   '記録された操作データを、仮名化・匿名化したうえで演習改善のための研究に利用することに同意します。同意しない場合、データは演習の外に出ません。同意はいつでも撤回できます。',
   'I agree that my recorded actions may be used, pseudonymised and anonymised, for research that improves the exercises. Without this consent the data never leaves the exercise. I can withdraw this consent at any time.');
