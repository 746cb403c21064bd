-- What cyranged needs to rebuild an exercise after a restart without the
-- instructor's files: the scenario text it was created from, the seed that drew
-- every team's variables, and why provisioning failed when it did.

ALTER TABLE exercises
  ADD COLUMN scenario_file text NOT NULL DEFAULT '',
  ADD COLUMN scenario_yaml text NOT NULL DEFAULT '',
  ADD COLUMN seed          bigint NOT NULL DEFAULT 0,
  ADD COLUMN detail        text NOT NULL DEFAULT '';
