-- JWT-bearer trust relationships (RFC 7523 grant), Hydra's table and columns (hydra-api.md §4.13, §8.4).
-- The issuer's public key lives in hydra_jwk under set = issuer (key_set), kid = key_id; deleting that key deletes
-- every trust relationship using it. scope is pipe-delimited, as Hydra writes it.
-- Indexes: the unique (nid, key_id, issuer, subject) is Hydra's duplicate rule and serves lookups by kid; (nid, issuer)
-- serves lookups without kid and the ?issuer= filter; expires_at serves the janitor.
CREATE TABLE hydra_oauth2_trusted_jwt_bearer_issuer
(
  id                VARCHAR(36) NOT NULL,
  nid               VARCHAR(36) NOT NULL,
  issuer            VARCHAR(255) NOT NULL,
  subject           VARCHAR(255) NOT NULL DEFAULT '',
  allow_any_subject BOOLEAN NOT NULL DEFAULT false,
  scope             TEXT NOT NULL,
  key_set           VARCHAR(255) NOT NULL,
  key_id            VARCHAR(255) NOT NULL,
  created_at        TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at        TIMESTAMP NOT NULL,
  PRIMARY KEY (id),
  FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE,
  FOREIGN KEY (key_set, key_id, nid) REFERENCES hydra_jwk (sid, kid, nid) ON DELETE CASCADE
);
CREATE UNIQUE INDEX hydra_oauth2_trusted_jwt_bearer_issuer_nid_uq_idx ON hydra_oauth2_trusted_jwt_bearer_issuer (nid, key_id, issuer, subject);
CREATE INDEX hydra_oauth2_trusted_jwt_bearer_issuer_issuer_idx ON hydra_oauth2_trusted_jwt_bearer_issuer (nid, issuer);
CREATE INDEX hydra_oauth2_trusted_jwt_bearer_issuer_key_idx ON hydra_oauth2_trusted_jwt_bearer_issuer (key_set, key_id, nid);
CREATE INDEX hydra_oauth2_trusted_jwt_bearer_issuer_expires_at_idx ON hydra_oauth2_trusted_jwt_bearer_issuer (expires_at);
