-- Course join codes (#19): a trainee without a token starts self-paced study with a code.
--
-- course_join_codes: one code per course and organisation, made by an operator, an admin
-- or an instructor of that organisation; only its SHA-256 is kept, as for join_codes.
-- A new code of the same course and organisation revokes the older one.
-- course_code_users: the trainees a course code made. Such a trainee is pseudonymous
-- ("<organisation>-<random hex>", no name, no mail), a member of the code's organisation
-- (so its instructors see the results) and may take that one course only.

CREATE TABLE course_join_codes (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  course_id       text NOT NULL REFERENCES courses (id),
  organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  code_hash       text NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz
);
CREATE INDEX course_join_codes_course_idx ON course_join_codes (course_id, organisation_id);

CREATE TABLE course_code_users (
  user_id   bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  course_id text NOT NULL REFERENCES courses (id),
  code_id   bigint REFERENCES course_join_codes (id) ON DELETE SET NULL
);
