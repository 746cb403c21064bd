-- Cost after login (#17, 6): cyranged keeps the identities of tokens it accepted for a few
-- seconds (token_cache_s) instead of asking PostgreSQL on every call. Any change to a token
-- or a user (revoked, expired early, disabled, erased, a team changed), by cyranged, by
-- `cyrange users ...` in another process or by hand, notifies channel cyrange_identity, and
-- cyranged empties its cache when it hears it.
CREATE FUNCTION identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cyrange_identity', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER api_tokens_changed AFTER UPDATE OR DELETE OR TRUNCATE ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION identity_changed();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION identity_changed();
