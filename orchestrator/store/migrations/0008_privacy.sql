-- Privacy: the organisations trainees come from (retention and the coarse
-- attributes a research export may show), consent renewal, and version 2 of the
-- consent texts, which say exactly what is recorded, who sees it and what
-- withdrawal does.

-- Japanese prefectures and their regional blocks: the region attribute of an
-- organisation and its first generalisation step in research exports.
CREATE TABLE regions (
  code    text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
  name_ja text NOT NULL,
  name_en text NOT NULL,
  block   text NOT NULL CHECK (block ~ '^[a-z_]+$')
);

INSERT INTO regions (code, name_ja, name_en, block) VALUES
  ('hokkaido', '北海道', 'Hokkaido', 'hokkaido'),
  ('aomori', '青森県', 'Aomori', 'tohoku'), ('iwate', '岩手県', 'Iwate', 'tohoku'),
  ('miyagi', '宮城県', 'Miyagi', 'tohoku'), ('akita', '秋田県', 'Akita', 'tohoku'),
  ('yamagata', '山形県', 'Yamagata', 'tohoku'), ('fukushima', '福島県', 'Fukushima', 'tohoku'),
  ('ibaraki', '茨城県', 'Ibaraki', 'kanto'), ('tochigi', '栃木県', 'Tochigi', 'kanto'),
  ('gunma', '群馬県', 'Gunma', 'kanto'), ('saitama', '埼玉県', 'Saitama', 'kanto'),
  ('chiba', '千葉県', 'Chiba', 'kanto'), ('tokyo', '東京都', 'Tokyo', 'kanto'),
  ('kanagawa', '神奈川県', 'Kanagawa', 'kanto'),
  ('niigata', '新潟県', 'Niigata', 'chubu'), ('toyama', '富山県', 'Toyama', 'chubu'),
  ('ishikawa', '石川県', 'Ishikawa', 'chubu'), ('fukui', '福井県', 'Fukui', 'chubu'),
  ('yamanashi', '山梨県', 'Yamanashi', 'chubu'), ('nagano', '長野県', 'Nagano', 'chubu'),
  ('gifu', '岐阜県', 'Gifu', 'chubu'), ('shizuoka', '静岡県', 'Shizuoka', 'chubu'),
  ('aichi', '愛知県', 'Aichi', 'chubu'),
  ('mie', '三重県', 'Mie', 'kinki'), ('shiga', '滋賀県', 'Shiga', 'kinki'),
  ('kyoto', '京都府', 'Kyoto', 'kinki'), ('osaka', '大阪府', 'Osaka', 'kinki'),
  ('hyogo', '兵庫県', 'Hyogo', 'kinki'), ('nara', '奈良県', 'Nara', 'kinki'),
  ('wakayama', '和歌山県', 'Wakayama', 'kinki'),
  ('tottori', '鳥取県', 'Tottori', 'chugoku'), ('shimane', '島根県', 'Shimane', 'chugoku'),
  ('okayama', '岡山県', 'Okayama', 'chugoku'), ('hiroshima', '広島県', 'Hiroshima', 'chugoku'),
  ('yamaguchi', '山口県', 'Yamaguchi', 'chugoku'),
  ('tokushima', '徳島県', 'Tokushima', 'shikoku'), ('kagawa', '香川県', 'Kagawa', 'shikoku'),
  ('ehime', '愛媛県', 'Ehime', 'shikoku'), ('kochi', '高知県', 'Kochi', 'shikoku'),
  ('fukuoka', '福岡県', 'Fukuoka', 'kyushu_okinawa'), ('saga', '佐賀県', 'Saga', 'kyushu_okinawa'),
  ('nagasaki', '長崎県', 'Nagasaki', 'kyushu_okinawa'),
  ('kumamoto', '熊本県', 'Kumamoto', 'kyushu_okinawa'),
  ('oita', '大分県', 'Oita', 'kyushu_okinawa'), ('miyazaki', '宮崎県', 'Miyazaki', 'kyushu_okinawa'),
  ('kagoshima', '鹿児島県', 'Kagoshima', 'kyushu_okinawa'),
  ('okinawa', '沖縄県', 'Okinawa', 'kyushu_okinawa');

-- The organisation a trainee works for (not the fictional one of a scenario).
-- retention_days bounds how long recordings of its staff are kept; type,
-- size_band and region are the only facts about it a research export may show,
-- and only generalised (orchestrator/privacy/organisation.h has the hierarchies).
CREATE TABLE organisations (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name           text NOT NULL UNIQUE CHECK (name <> ''),
  type           text NOT NULL CHECK (type IN ('central_government', 'prefectural_government',
                                                'municipality', 'independent_agency',
                                                'critical_infrastructure', 'private_company',
                                                'education', 'healthcare', 'other')),
  -- Staff head count.
  size_band      text NOT NULL CHECK (size_band IN ('1-99', '100-299', '300-999', '1000-4999',
                                                     '5000+')),
  region         text NOT NULL REFERENCES regions (code),
  retention_days integer NOT NULL DEFAULT 365 CHECK (retention_days > 0)
);

-- Who works where. Personal data, so kept apart from users as user_personal_data
-- is. A user without a row here has no known organisation: the default retention
-- applies and a research export shows 'unknown'.
CREATE TABLE organisation_members (
  user_id         bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE
);
CREATE INDEX organisation_members_organisation_idx ON organisation_members (organisation_id);

-- Why a consent ended: withdrawn by the trainee (or an admin on their request), or
-- superseded when the trainee agreed to a newer version of the text.
ALTER TABLE consents ADD COLUMN end_reason text
  CHECK (end_reason IN ('withdrawn', 'superseded'));
ALTER TABLE consents ADD CONSTRAINT consents_end_reason_iff_ended
  CHECK ((withdrawn_at IS NULL) = (end_reason IS NULL));
-- Research exports look up the active consents of one exercise and purpose.
CREATE INDEX consents_exercise_purpose_idx ON consents (exercise_id, purpose)
  WHERE withdrawn_at IS NULL;

-- Retention and withdrawal delete terminal recordings per user.
CREATE INDEX terminal_sessions_user_idx ON terminal_sessions (user_id);

-- Consent texts carry a title a client shows above the text.
ALTER TABLE consent_texts
  ADD COLUMN title_ja text NOT NULL DEFAULT '',
  ADD COLUMN title_en text NOT NULL DEFAULT '';
UPDATE consent_texts SET title_ja = '採点と振り返りのための操作記録',
                         title_en = 'Recording of my actions for scoring and the debrief'
  WHERE purpose = 'scoring';
UPDATE consent_texts SET title_ja = '操作記録の研究への利用',
                         title_en = 'Use of my recorded actions for research'
  WHERE purpose = 'research';

INSERT INTO consent_texts (purpose, version, title_ja, title_en, text_ja, text_en) VALUES
  ('scoring', 2,
   '採点と振り返りのための操作記録',
   'Recording of my actions for scoring and the debrief',
   'この演習では、あなたが演習環境で行う操作を記録します。記録するのは、キー入力（修飾キーを含む）、マウスの移動・クリック・スクロール、ウィンドウやタブの切り替え、端末に入力したコマンドと端末の入出力、回答の提出、ヒントの利用、報告書の編集、操作のない時間です。パスワード入力欄や画面に表示されない入力（パスワードの入力待ち）へのキー入力は、あなたの端末の上で消去され、記録されません。' || E'\n\n' ||
   '記録は、この演習の採点と、演習後の振り返り（デブリーフィング）にのみ利用します。記録を見ることができるのは、この演習の講師と運営者だけです。記録には氏名やメールアドレスは含まれず、仮名の ID で保存されます。記録の閲覧と書き出しはすべて監査ログに残ります。記録は、あなたの所属組織について定められた保存期間が過ぎると削除されます。' || E'\n\n' ||
   'この同意はいつでも撤回できます。撤回すると、この演習でのあなたの操作記録はただちに削除されます。撤回した後も演習への参加は続けられますが、あなた個人の操作に基づく採点と振り返りは行われなくなります（チームの得点は残ります）。' || E'\n\n' ||
   '以上に同意します。',
   'During this exercise your actions in the exercise environment are recorded: key input (with modifier keys), mouse movement, clicks and scrolling, window and tab changes, the commands you type and the input and output of your terminals, answer submissions, hint requests, report edits and idle periods. Keys typed into password fields or at input that is not shown on screen (password prompts) are removed on your own terminal and are never recorded.' || E'\n\n' ||
   'The recording is used only to score this exercise and for the debrief after it. Only the instructors and operators of this exercise can see it. It contains neither your name nor your e-mail address: it is stored under a pseudonymous ID. Every viewing and export of recordings is written to an audit log. The recording is deleted when the retention period set for your organisation has passed.' || E'\n\n' ||
   'You can withdraw this consent at any time. Withdrawing deletes your recording of this exercise at once. You can still take part in the exercise, but your individual actions will no longer be scored or discussed in the debrief (your team''s points remain).' || E'\n\n' ||
   'I agree to the above.'),
  ('research', 2,
   '操作記録の研究への利用',
   'Use of my recorded actions for research',
   'この演習で記録されたあなたの操作記録を、演習とサイバー防御の訓練方法を改善するための研究に利用します。この同意は任意で、採点と振り返りへの同意とは別のものです。同意しない場合、あなたのデータは演習の外に出ません。同意しなくても、演習への参加や採点には一切影響しません。' || E'\n\n' ||
   '研究用に書き出すデータには、氏名・メールアドレス・ログイン名は含まれません。あなたの ID は書き出しのたびに新しい仮名に置き換えられるため、別の書き出しのデータと仮名で結び付けることはできません。所属組織は種別・規模・地域の区分だけを、少なくとも k 人（既定では 5 人）が同じ区分になるまで粗くして記載し、それでも少数になる人のデータは書き出しません。時刻は演習開始からの経過時間で記載します。ただし、入力したコマンドや報告書の文面などの内容は、記録されたとおりに含まれます。' || E'\n\n' ||
   '書き出しはすべて監査ログに記録されます（誰が、いつ、何を、何件）。この同意はいつでも撤回できます。撤回した後の書き出しには、あなたのデータは含まれません。撤回の前に書き出されたデータは、あなたと結び付けられないため、取り除くことができません。' || E'\n\n' ||
   '以上に同意します。',
   'Your recorded actions from this exercise are used for research that improves the exercises and the training of cyber defenders. This consent is voluntary and separate from the consent to scoring and the debrief. Without it, your data never leaves the exercise. Declining has no effect on your participation or your score.' || E'\n\n' ||
   'Data exported for research contains no name, e-mail address or login name. Your ID is replaced by a new pseudonym in every export, so two exports cannot be linked through it. Your organisation appears only as its type, size and region, made coarser until at least k people (5 by default) share the same description; people who would still stand out are left out of the export. Times are given as time since the start of the exercise. What you typed, such as commands and report text, is included as it was recorded.' || E'\n\n' ||
   'Every export is written to an audit log (who, when, what, how many records). You can withdraw this consent at any time. Exports made after the withdrawal do not contain your data. Data exported before it cannot be removed, because it cannot be traced back to you.' || E'\n\n' ||
   'I agree to the above.');
