-- Privacy beyond consent and an audit log nobody rewrites (#17, 9 and 10).
--
-- 1. Pseudonyms per exercise: a trainee's recorded actions in two exercises can no longer
--    be linked through the pseudonym. Events recorded before keep their data under a new
--    pseudonym of their exercise.
-- 2. The score ledger stays append-only for everything that makes a score, but its personal
--    fields (who acted, and what a trainee typed: a wrong answer's text, a self-assessment
--    note) can be redacted: by consent withdrawal, by retention and by `cyrange users
--    erase`. The trigger lets through only an UPDATE that changes those fields to their
--    redacted form; points, kinds, objectives and times never change, so every sum does not.
-- 3. The audit log is append-only: UPDATE, DELETE and TRUNCATE are refused by a trigger,
--    for every role. The one rewrite is audit_log_pseudonymise(): erasing a user replaces
--    their login name by the pseudonym in the rows that name them (no row is removed).
--    Retention does not delete audit rows: they hold no recorded content, only who did
--    what to which object, and they are the evidence that recordings were handled as the
--    consent text says.
-- 4. Every new audit row names an actor: a user id, or detail.actor.
-- 5. cyrange_grant_daemon(role): the privileges of the role cyranged connects as (`cyrange
--    db migrate --daemon-role`): data only, no DDL, INSERT and SELECT on the audit log,
--    and on the ledger only INSERT, SELECT and the redaction of personal fields.
-- 6. Version 3 of the consent texts says what is kept and who sees what.

-- 1. Pseudonyms per (trainee, exercise).
CREATE TABLE trainee_exercise_pseudonyms (
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  exercise_id text NOT NULL CHECK (exercise_id <> ''),
  pseudonym   text NOT NULL UNIQUE
    DEFAULT 'p-' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 20),
  PRIMARY KEY (user_id, exercise_id)
);
INSERT INTO trainee_exercise_pseudonyms (user_id, exercise_id)
  SELECT DISTINCT p.user_id, e.exercise_id
  FROM recorder_events e JOIN trainee_pseudonyms p ON p.pseudonym = e.trainee;
UPDATE recorder_events e SET trainee = n.pseudonym
  FROM trainee_pseudonyms o, trainee_exercise_pseudonyms n
  WHERE o.pseudonym = e.trainee AND n.user_id = o.user_id AND n.exercise_id = e.exercise_id;
DROP TABLE trainee_pseudonyms;
ALTER TABLE trainee_exercise_pseudonyms RENAME TO trainee_pseudonyms;
CREATE INDEX trainee_pseudonyms_exercise_idx ON trainee_pseudonyms (exercise_id);

-- 2. Redactable personal fields of the ledger.
ALTER TABLE ledger_entries ADD COLUMN redacted_at timestamptz;

-- What replaces the reason of an entry when its personal fields are redacted; NULL when the
-- reason is not personal (fixed texts, checkers' evidence, instructors' notes and reasons).
CREATE FUNCTION ledger_redacted_reason(kind text, reason text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN kind = 'wrong_answer' THEN 'Wrong answer (text removed).'
    WHEN reason LIKE 'Self-assessed by the trainee%' THEN 'Self-assessed by the trainee (note removed).'
    -- Before #17 an expected command's evidence quoted the typed line.
    WHEN reason LIKE 'Typed on %' THEN 'A typed command matched an expected command (line removed).'
  END
$$;

CREATE OR REPLACE FUNCTION ledger_entries_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- The one UPDATE allowed: personal fields to their redacted form, nothing else.
  IF TG_OP = 'UPDATE'
     AND (NEW.seq, NEW.exercise_id, NEW.team, NEW.objective, NEW.item, NEW.kind, NEW.points,
          NEW.exercise_time_ms, NEW.created_at)
         IS NOT DISTINCT FROM
         (OLD.seq, OLD.exercise_id, OLD.team, OLD.objective, OLD.item, OLD.kind, OLD.points,
          OLD.exercise_time_ms, OLD.created_at)
     AND NEW.redacted_at IS NOT NULL
     AND (NEW.actor = OLD.actor OR NEW.actor = 'redacted' OR NEW.actor ~ '^erased-[0-9]+$')
     AND (NEW.reason = OLD.reason OR NEW.reason = ledger_redacted_reason(OLD.kind, OLD.reason))
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ledger_entries is append-only: % is refused; correct a score with an adjustment entry instead (only the redaction of personal fields may change a row)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Redacts the entries caused by `login` (in `exercise`, or every exercise when NULL; created
-- before `before`, or any time when NULL): the actor becomes `replacement` ('redacted', or
-- the 'erased-<id>' of an erased user) and a personal reason its redacted form. Returns how
-- many entries changed.
CREATE FUNCTION ledger_redact(login text, exercise text, before timestamptz, replacement text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  changed bigint;
BEGIN
  UPDATE ledger_entries
     SET actor = replacement,
         reason = coalesce(ledger_redacted_reason(kind, reason), reason),
         redacted_at = now()
   WHERE actor = login
     AND (exercise IS NULL OR exercise_id = exercise)
     AND (before IS NULL OR created_at < before);
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$;

-- Evidence that quoted a typed line is redacted now; the checker stays its actor.
UPDATE ledger_entries
   SET reason = ledger_redacted_reason(kind, reason), redacted_at = now()
 WHERE actor = 'command-check' AND reason LIKE 'Typed on %';

-- 3. The audit log is append-only.
CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Only audit_log_pseudonymise() sets this, for the statements of one erasure.
  IF TG_OP = 'UPDATE' AND current_setting('cyrange.audit_pseudonymise', true) = 'on'
     AND (NEW.id, NEW.at, NEW.actor_user_id, NEW.action)
         IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor_user_id, OLD.action) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Replaces the login name `login` of the erased user `erased_user` by its pseudonym
-- ('erased-<id>', already its name in users) in the audit log's objects ("user:NAME") and
-- JSON string values; returns the rows changed. Runs as the schema's owner (SECURITY
-- DEFINER), so the role of cyranged and the CLI needs no UPDATE on the audit log; it
-- refuses users that are not erased and names that still belong to a user.
CREATE FUNCTION audit_log_pseudonymise(erased_user bigint, login text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  pseudonym text;
  objects bigint;
  details bigint;
BEGIN
  SELECT name INTO pseudonym FROM users WHERE id = erased_user AND erased_at IS NOT NULL;
  IF pseudonym IS NULL OR pseudonym <> 'erased-' || erased_user THEN
    RAISE EXCEPTION 'user % is not erased; erase it before pseudonymising the audit log', erased_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF login IS NULL OR login = '' OR EXISTS (SELECT 1 FROM users WHERE name = login) THEN
    RAISE EXCEPTION 'the name % belongs to a user; only an erased login name is replaced', login
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('cyrange.audit_pseudonymise', 'on', true);
  UPDATE audit_log SET object = 'user:' || pseudonym WHERE object = 'user:' || login;
  GET DIAGNOSTICS objects = ROW_COUNT;
  UPDATE audit_log
     SET detail = replace(detail::text, to_json(login)::text, to_json(pseudonym)::text)::jsonb
   WHERE strpos(detail::text, to_json(login)::text) > 0;
  GET DIAGNOSTICS details = ROW_COUNT;
  PERFORM set_config('cyrange.audit_pseudonymise', '', true);
  RETURN objects + details;
END
$$;
REVOKE ALL ON FUNCTION audit_log_pseudonymise(bigint, text) FROM PUBLIC;

-- 4. Every new row names who acted. Rows without a user id take detail.actor, else what
-- older writers put in detail.by, else the database role that wrote them.
CREATE FUNCTION audit_log_actor() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.actor_user_id IS NULL AND coalesce(NEW.detail->>'actor', '') = '' THEN
    NEW.detail := NEW.detail || jsonb_build_object(
      'actor', coalesce(nullif(NEW.detail->>'by', ''), 'database role ' || session_user));
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_names_actor
  BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_actor();
ALTER TABLE audit_log ADD CONSTRAINT audit_log_has_actor
  CHECK (actor_user_id IS NOT NULL OR coalesce(detail->>'actor', '') <> '') NOT VALID;

-- 5. The role cyranged connects as.
-- Which role that is, so that partitions created later get its privileges too.
CREATE TABLE daemon_roles (
  role_name name PRIMARY KEY
);

CREATE FUNCTION cyrange_grant_daemon(daemon name) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', daemon);
  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') LOOP
    IF t.relname = 'audit_log' THEN
      EXECUTE format('GRANT SELECT, INSERT ON %I TO %I', t.relname, daemon);
    ELSIF t.relname = 'ledger_entries' THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE (actor, reason, redacted_at) ON %I TO %I',
                     t.relname, daemon);
    ELSIF t.relname IN ('schema_migrations', 'daemon_roles', 'consent_texts', 'regions') THEN
      EXECUTE format('GRANT SELECT ON %I TO %I', t.relname, daemon);
    ELSE
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I', t.relname, daemon);
    END IF;
  END LOOP;
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', daemon);
  EXECUTE format('GRANT EXECUTE ON FUNCTION audit_log_pseudonymise(bigint, text) TO %I', daemon);
  INSERT INTO daemon_roles (role_name) VALUES (daemon) ON CONFLICT DO NOTHING;
END
$$;
REVOKE ALL ON FUNCTION cyrange_grant_daemon(name) FROM PUBLIC;

-- Partitions are created while cyranged runs: as the owner (the daemon has no DDL), and
-- readable and writable by the daemon's roles like their parent.
CREATE OR REPLACE FUNCTION recorder_ensure_partition(exercise text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  partition text := 'recorder_events_' || substr(md5(exercise), 1, 16);
  daemon name;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('cyrange.recorder_ensure_partition'));
  IF NOT EXISTS (SELECT 1 FROM recorder_partitions WHERE exercise_id = exercise) THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF recorder_events FOR VALUES IN (%L)',
                   partition, exercise);
    INSERT INTO recorder_partitions (exercise_id, table_name) VALUES (exercise, partition);
    FOR daemon IN SELECT role_name FROM daemon_roles LOOP
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I', partition, daemon);
    END LOOP;
  END IF;
  RETURN partition;
END;
$$;

-- 6. Consent texts, version 3.
INSERT INTO consent_texts (purpose, version, title_ja, title_en, text_ja, text_en) VALUES
  ('scoring', 3,
   '採点と振り返りのための操作記録',
   'Recording of my actions for scoring and the debrief',
   'この演習では、あなたが演習環境で行う操作を記録します。記録するのは、キー入力（修飾キーを含む）、マウスの移動・クリック・スクロール、ウィンドウやタブの切り替え、端末に入力したコマンドと端末の入出力、回答の提出、ヒントの利用、報告書の編集、操作のない時間です。パスワード入力欄や画面に表示されない入力（パスワードの入力待ち）へのキー入力は、あなたの端末の上で消去され、記録されません。' || E'\n\n' ||
   '記録は、この演習の採点と、演習後の振り返り（デブリーフィング）にのみ利用します。あなた個人の記録と分析（最初の操作までの時間、コマンド数など）を見ることができるのは、この演習の講師と運営者だけです。チームの仲間を含むほかの受講者には、チーム全体の数値とあなた自身の数値しか表示されません。記録には氏名やメールアドレスは含まれず、この演習のためだけの仮名の ID で保存されます（別の演習の記録と仮名で結び付けることはできません）。記録の閲覧と書き出しはすべて監査ログに残ります。記録は、あなたの所属組織について定められた保存期間が過ぎると削除されます。' || E'\n\n' ||
   'チームの得点の記録（どの課題で、いつ、何点を得たか、または失ったか）は、演習の結果として保存期間の後も残ります。その記録に含まれるあなたの情報、つまりあなたのログイン名、誤った回答の文面、自己評価のメモは、同意の撤回、保存期間の経過、またはアカウントの個人データの消去の際に取り除かれます（点数は残ります）。監査ログには、誰がいつ記録を閲覧・書き出ししたか、同意の記録と撤回が残り、削除されません。アカウントの個人データを消去すると、監査ログ上のあなたのログイン名は仮名に置き換えられます。' || E'\n\n' ||
   'この同意はいつでも撤回できます。撤回すると、この演習でのあなたの操作記録はただちに削除され、得点の記録からあなたの情報が取り除かれます。撤回した後も演習への参加は続けられますが、あなた個人の操作に基づく採点と振り返りは行われなくなります（チームの得点は残ります）。同意しない場合、あなたの端末は記録されません。入力したコマンドが課題の想定するコマンドに一致して得点になった場合も、得点の記録には一致した課題と想定パターンだけが残り、入力した文字列は残りません。' || E'\n\n' ||
   '以上に同意します。',
   'During this exercise your actions in the exercise environment are recorded: key input (with modifier keys), mouse movement, clicks and scrolling, window and tab changes, the commands you type and the input and output of your terminals, answer submissions, hint requests, report edits and idle periods. Keys typed into password fields or at input that is not shown on screen (password prompts) are removed on your own terminal and are never recorded.' || E'\n\n' ||
   'The recording is used only to score this exercise and for the debrief after it. Only the instructors and operators of this exercise can see your individual recording and numbers (such as the time to your first action and how many commands you typed). Other trainees, your teammates included, see only the numbers of the whole team and their own. The recording contains neither your name nor your e-mail address: it is stored under a pseudonymous ID used for this exercise only (it cannot be linked to your recordings in other exercises). Every viewing and export of recordings is written to an audit log. The recording is deleted when the retention period set for your organisation has passed.' || E'\n\n' ||
   'The record of your team''s score (which objective earned or lost how many points, and when) is kept as the result of the exercise, also after the retention period. What it holds about you, namely your login name, the text of your wrong answers and your self-assessment notes, is removed when you withdraw this consent, when the retention period has passed, or when the personal data of your account is erased; the points remain. The audit log keeps who viewed or exported recordings and when, and when consents were given and withdrawn; it is never deleted. When the personal data of your account is erased, your login name in the audit log is replaced by a pseudonym.' || E'\n\n' ||
   'You can withdraw this consent at any time. Withdrawing deletes your recording of this exercise at once and removes what the score record holds about you. You can still take part in the exercise, but your individual actions will no longer be scored or discussed in the debrief (your team''s points remain). Without this consent your terminals are not recorded; when a command you type matches a command an objective expects, the score record keeps only the objective and the expected pattern, never what you typed.' || E'\n\n' ||
   'I agree to the above.'),
  ('research', 3,
   '操作記録の研究への利用',
   'Use of my recorded actions for research',
   'この演習で記録されたあなたの操作記録を、演習とサイバー防御の訓練方法を改善するための研究に利用します。この同意は任意で、採点と振り返りへの同意とは別のものです。同意しない場合、あなたのデータは演習の外に出ません。同意しなくても、演習への参加や採点には一切影響しません。' || E'\n\n' ||
   '研究用に書き出すデータには、氏名・メールアドレス・ログイン名は含まれません。あなたの ID は演習ごとの仮名で、さらに書き出しのたびに新しい仮名に置き換えられるため、別の演習や別の書き出しのデータと仮名で結び付けることはできません。所属組織は種別・規模・地域の区分だけを、少なくとも k 人（既定では 5 人）が同じ区分になるまで粗くして記載し、それでも少数になる人のデータは書き出しません。時刻は演習開始からの経過時間で記載します。ただし、入力したコマンドや報告書の文面などの内容は、記録されたとおりに含まれます。' || E'\n\n' ||
   '書き出しはすべて監査ログに記録されます（誰が、いつ、何を、何件）。この同意はいつでも撤回できます。撤回した後の書き出しには、あなたのデータは含まれません。撤回の前に書き出されたデータは、あなたと結び付けられないため、取り除くことができません。' || E'\n\n' ||
   '以上に同意します。',
   'Your recorded actions from this exercise are used for research that improves the exercises and the training of cyber defenders. This consent is voluntary and separate from the consent to scoring and the debrief. Without it, your data never leaves the exercise. Declining has no effect on your participation or your score.' || E'\n\n' ||
   'Data exported for research contains no name, e-mail address or login name. Your ID is a pseudonym of this exercise only, and it is replaced by a new pseudonym in every export, so neither two exercises nor two exports can be linked through it. Your organisation appears only as its type, size and region, made coarser until at least k people (5 by default) share the same description; people who would still stand out are left out of the export. Times are given as time since the start of the exercise. What you typed, such as commands and report text, is included as it was recorded.' || E'\n\n' ||
   'Every export is written to an audit log (who, when, what, how many records). You can withdraw this consent at any time. Exports made after the withdrawal do not contain your data. Data exported before it cannot be removed, because it cannot be traced back to you.' || E'\n\n' ||
   'I agree to the above.');
