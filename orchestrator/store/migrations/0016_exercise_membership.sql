-- Membership per exercise run (#17, 4): a trainee plays in one exercise run, not in "every
-- exercise that lists a team of the same name". Before, a trainee added with
-- `cyrange users add --team t1` for one cohort reached the terminals, inbox, answers and
-- analytics of team t1 in every later exercise. Now `cyrange users add --role trainee`
-- binds the trainee to one exercise (users.exercise_id) and cyranged scopes every call of the
-- trainee to it, as it did for join-code tokens. Course trainees stay unbound: each of their
-- self-paced runs has tokens of its own, bound to the run's exercise.

ALTER TABLE users ADD COLUMN exercise_id text CHECK (exercise_id <> '');
ALTER TABLE users ADD CONSTRAINT users_exercise_only_trainee
  CHECK (exercise_id IS NULL OR role = 'trainee');
CREATE INDEX users_exercise_id_idx ON users (exercise_id);

-- Existing trainees keep the one run they were made for. Join-code trainees: the exercise
-- of their join token.
UPDATE users u SET exercise_id = t.exercise_id
FROM (SELECT DISTINCT ON (user_id) user_id, exercise_id FROM api_tokens
      WHERE exercise_id IS NOT NULL ORDER BY user_id, created_at) t
WHERE t.user_id = u.id AND u.role = 'trainee'
  AND NOT EXISTS (SELECT 1 FROM course_runs r WHERE r.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM course_code_users c WHERE c.user_id = u.id);

-- Trainees added on the command line: the exercise listing their team that was created
-- closest to their first token (an instructor adds a cohort's trainees and creates its
-- exercise within the same preparation, a later cohort's exercise days or weeks apart).
UPDATE users u SET exercise_id = (
  SELECT et.exercise_id FROM exercise_teams et JOIN exercises e ON e.id = et.exercise_id
  WHERE et.team_id = u.team_id
  ORDER BY abs(extract(epoch FROM e.created_at - coalesce(
             (SELECT min(t.created_at) FROM api_tokens t WHERE t.user_id = u.id), now()))),
           e.created_at
  LIMIT 1)
WHERE u.role = 'trainee' AND u.exercise_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM course_runs r WHERE r.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM course_code_users c WHERE c.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.user_id = u.id AND t.exercise_id IS NOT NULL);

-- A command-line trainee whose team plays in no exercise yet gets a run no exercise can have
-- (exercise ids are a-z, 0-9 and '_'): unbound, a later cohort's exercise with that team name
-- would be theirs. The operator adds a new account for a new run.
UPDATE users u SET exercise_id = 'none-before-migration-16'
WHERE u.role = 'trainee' AND u.exercise_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM course_runs r WHERE r.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM course_code_users c WHERE c.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.user_id = u.id AND t.exercise_id IS NOT NULL);
