-- A course's time limit: the active (unpaused) exercise time a run may take, from the
-- scenario's self_paced.time_limit; NULL: no limit. A run that reaches it is finished
-- and its range removed; its results stay.
ALTER TABLE courses ADD COLUMN time_limit_seconds integer CHECK (time_limit_seconds > 0);
