-- Tokens without a consent (client_credentials, jwt-bearer) have no challenge_id, and the index on it exists only for
-- the cascade from hydra_oauth2_flow, which always names a challenge. A partial index skips those rows, so each such
-- token costs one index insert less (docs/performance.md, "Lean token rows"). MySQL has no partial indexes.
DROP INDEX hydra_oauth2_code_challenge_id_idx;
CREATE INDEX hydra_oauth2_code_challenge_id_idx ON hydra_oauth2_code (challenge_id) WHERE challenge_id IS NOT NULL;
DROP INDEX hydra_oauth2_access_challenge_id_idx;
CREATE INDEX hydra_oauth2_access_challenge_id_idx ON hydra_oauth2_access (challenge_id) WHERE challenge_id IS NOT NULL;
DROP INDEX hydra_oauth2_refresh_challenge_id_idx;
CREATE INDEX hydra_oauth2_refresh_challenge_id_idx ON hydra_oauth2_refresh (challenge_id) WHERE challenge_id IS NOT NULL;
