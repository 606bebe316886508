-- JSON Web Keys, with Hydra's table and column names (hydra-api.md §5.4): keydata is the AES-256-GCM sealed JWK.
CREATE TABLE hydra_jwk (
  pk VARCHAR(36) NOT NULL PRIMARY KEY,
  sid VARCHAR(255) NOT NULL,
  kid VARCHAR(255) NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  keydata TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  nid VARCHAR(36) NOT NULL REFERENCES networks (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX hydra_jwk_sid_kid_nid_key ON hydra_jwk (sid, kid, nid);
-- Reading a set newest first (which key signs) is the common query.
CREATE INDEX hydra_jwk_nid_sid_created_at_idx ON hydra_jwk (nid, sid, created_at);
