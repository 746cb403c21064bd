-- Team ranges as the system of record sees them, and trainee terminal sessions.
--
-- range_objects (0002) gains the kind 'pool': a team's storage pool is created
-- (and recorded) before its volumes, and removing it removes them.
-- exercise_ranges keeps each team's RangeSpec as JSON, so that a later process
-- (`cyrange range reset`, cyranged after a restart) can reset, open consoles and
-- authorise terminals without the scenario file or its seed.
-- terminal_sessions/terminal_chunks hold every byte of a trainee terminal with
-- its offset from the session start, enough to export asciicast v2.

ALTER TABLE range_objects DROP CONSTRAINT range_objects_kind_check;
ALTER TABLE range_objects ADD CONSTRAINT range_objects_kind_check
  CHECK (kind IN ('domain', 'network', 'pool', 'volume', 'file'));

CREATE TABLE exercise_ranges (
  exercise_id text NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
  team        text NOT NULL CHECK (team <> ''),
  libvirt_uri text NOT NULL,
  spec        jsonb NOT NULL,
  PRIMARY KEY (exercise_id, team)
);

CREATE TABLE terminal_sessions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  exercise_id text NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
  team        text NOT NULL,
  host        text NOT NULL,
  -- NULL once the user is erased; the recording stays, anonymous.
  user_id     bigint REFERENCES users (id) ON DELETE SET NULL,
  width       integer NOT NULL CHECK (width > 0),
  height      integer NOT NULL CHECK (height > 0),
  started_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz
);
CREATE INDEX terminal_sessions_exercise_idx ON terminal_sessions (exercise_id, team);

CREATE TABLE terminal_chunks (
  session_id bigint NOT NULL REFERENCES terminal_sessions (id) ON DELETE CASCADE,
  seq        integer NOT NULL,
  -- Microseconds since terminal_sessions.started_at, as measured by cyranged.
  offset_us  bigint NOT NULL CHECK (offset_us >= 0),
  -- 'o' output from the guest, 'i' input from the trainee, 'r' resize ("COLSxROWS").
  direction  char(1) NOT NULL CHECK (direction IN ('o', 'i', 'r')),
  data       bytea NOT NULL,
  PRIMARY KEY (session_id, seq)
);

-- The latest progress of every host (host '' = the team range as a whole) while an
-- exercise is provisioned, written by whichever process brings it up, so that
-- cyranged can stream it to consoles (RangeService.WatchProvisioning).
CREATE TABLE range_progress (
  exercise_id text NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
  team        text NOT NULL,
  host        text NOT NULL,
  state       text NOT NULL,
  percent     integer NOT NULL CHECK (percent BETWEEN 0 AND 100),
  message     text NOT NULL DEFAULT '',
  version     bigint NOT NULL,
  PRIMARY KEY (exercise_id, team, host)
);
CREATE SEQUENCE range_progress_version;
