-- Exercises and the libvirt objects created for them. range_objects is what the
-- daemon reconciles against libvirt after a restart: every object it creates is
-- recorded here first, so nothing is leaked and nothing is created twice.

CREATE TABLE exercises (
  id            text PRIMARY KEY CHECK (id <> ''),
  scenario_id   text NOT NULL,
  scenario_hash text NOT NULL,
  state         text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE exercise_teams (
  exercise_id text NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
  team_id     bigint NOT NULL REFERENCES teams (id),
  PRIMARY KEY (exercise_id, team_id)
);

CREATE TABLE range_objects (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  exercise_id text NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
  team        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('domain', 'network', 'volume', 'file')),
  name        text NOT NULL,
  libvirt_uri text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- libvirt names are unique per kind on one connection.
  UNIQUE (libvirt_uri, kind, name)
);
CREATE INDEX range_objects_exercise_id_idx ON range_objects (exercise_id);
