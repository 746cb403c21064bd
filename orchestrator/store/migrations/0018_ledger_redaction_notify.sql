-- Erase and withdrawal reach the live scoreboard (#17): `cyrange users erase`, `cyrange privacy
-- withdraw` and retention redact ledger entries (ledger_redact, migration 0015) in another
-- process than cyranged, whose boards keep the entries they replayed at start. Every update of
-- ledger entries (redaction is the only one allowed) notifies channel cyrange_ledger once per
-- exercise, with its id; cyranged rereads that board (scoring::LedgerFollower).
CREATE FUNCTION ledger_entries_redacted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  exercise text;
BEGIN
  FOR exercise IN SELECT DISTINCT exercise_id FROM redacted LOOP
    PERFORM pg_notify('cyrange_ledger', exercise);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER ledger_entries_redacted AFTER UPDATE ON ledger_entries
  REFERENCING NEW TABLE AS redacted
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_redacted();
