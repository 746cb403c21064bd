-- Revocation that works (#17, 5): an administrator disables an account (its tokens stop
-- working at once and no new one is issued) or erases a user's personal data (the login
-- name becomes a pseudonym, display name and e-mail address are removed).
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
ALTER TABLE users ADD COLUMN erased_at timestamptz;
-- An erased user is always disabled as well.
ALTER TABLE users ADD CONSTRAINT users_erased_is_disabled
  CHECK (erased_at IS NULL OR disabled_at IS NOT NULL);
