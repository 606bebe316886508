-- JSON Web Keys, with Hydra's table and column names (hydra-api.md §5.4): keydata is the AES-256-GCM sealed JWK.
-- created_at keeps milliseconds: the newest key of a set signs, and keys added in one second must stay ordered.
CREATE TABLE hydra_jwk (
  pk VARCHAR(36) NOT NULL PRIMARY KEY,
  sid VARCHAR(255) NOT NULL,
  kid VARCHAR(255) NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  keydata TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  nid VARCHAR(36) NOT NULL,
  CONSTRAINT hydra_jwk_sid_kid_nid_key UNIQUE (sid, kid, nid),
  CONSTRAINT hydra_jwk_nid_fk FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Reading a set newest first (which key signs) is the common query.
CREATE INDEX hydra_jwk_nid_sid_created_at_idx ON hydra_jwk (nid, sid, created_at);
