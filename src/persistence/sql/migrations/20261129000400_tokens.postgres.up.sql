-- Token tables with Hydra's names and columns (hydra-api.md §8.4), leaner than Hydra's: the PKCE challenge and the
-- OIDC session of a code live in the code's session_data instead of hydra_oauth2_pkce / hydra_oauth2_oidc.
-- signature is a hash of the token's signature (tokens are never stored). Lists are pipe-delimited, as Hydra writes them.
-- Indexes: request_id (chain revocation), client (FK cascade + DELETE /admin/oauth2/tokens), challenge_id (FK
-- cascade from consent revocation), expires_at (janitor batches).
CREATE TABLE hydra_oauth2_code
(
  signature           VARCHAR(96) NOT NULL,
  nid                 VARCHAR(36) NOT NULL,
  request_id          VARCHAR(40) NOT NULL,
  challenge_id        VARCHAR(40) NULL,
  requested_at        TIMESTAMP NOT NULL,
  client_id           VARCHAR(255) NOT NULL,
  scope               TEXT NOT NULL,
  granted_scope       TEXT NOT NULL,
  requested_audience  TEXT NOT NULL,
  granted_audience    TEXT NOT NULL,
  form_data           TEXT NOT NULL,
  session_data        TEXT NOT NULL,
  subject             VARCHAR(255) NOT NULL DEFAULT '',
  active              BOOLEAN NOT NULL DEFAULT true,
  expires_at          TIMESTAMP NOT NULL,
  PRIMARY KEY (signature),
  FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE,
  FOREIGN KEY (client_id, nid) REFERENCES hydra_client (id, nid) ON DELETE CASCADE,
  FOREIGN KEY (challenge_id) REFERENCES hydra_oauth2_flow (consent_challenge_id) ON DELETE CASCADE
);
CREATE INDEX hydra_oauth2_code_client_id_idx ON hydra_oauth2_code (client_id, nid);
CREATE INDEX hydra_oauth2_code_challenge_id_idx ON hydra_oauth2_code (challenge_id);
CREATE INDEX hydra_oauth2_code_expires_at_idx ON hydra_oauth2_code (expires_at);

CREATE TABLE hydra_oauth2_access
(
  signature           VARCHAR(96) NOT NULL,
  nid                 VARCHAR(36) NOT NULL,
  request_id          VARCHAR(40) NOT NULL,
  challenge_id        VARCHAR(40) NULL,
  requested_at        TIMESTAMP NOT NULL,
  client_id           VARCHAR(255) NOT NULL,
  scope               TEXT NOT NULL,
  granted_scope       TEXT NOT NULL,
  requested_audience  TEXT NOT NULL,
  granted_audience    TEXT NOT NULL,
  form_data           TEXT NOT NULL,
  session_data        TEXT NOT NULL,
  subject             VARCHAR(255) NOT NULL DEFAULT '',
  active              BOOLEAN NOT NULL DEFAULT true,
  expires_at          TIMESTAMP NOT NULL,
  PRIMARY KEY (signature),
  FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE,
  FOREIGN KEY (client_id, nid) REFERENCES hydra_client (id, nid) ON DELETE CASCADE,
  FOREIGN KEY (challenge_id) REFERENCES hydra_oauth2_flow (consent_challenge_id) ON DELETE CASCADE
);
CREATE INDEX hydra_oauth2_access_request_id_idx ON hydra_oauth2_access (request_id);
CREATE INDEX hydra_oauth2_access_client_id_idx ON hydra_oauth2_access (client_id, nid);
CREATE INDEX hydra_oauth2_access_challenge_id_idx ON hydra_oauth2_access (challenge_id);
CREATE INDEX hydra_oauth2_access_expires_at_idx ON hydra_oauth2_access (expires_at);

-- first_used_at / used_times / access_token_signature drive rotation with a grace period (hydra-api.md §4.7).
CREATE TABLE hydra_oauth2_refresh
(
  signature           VARCHAR(96) NOT NULL,
  nid                 VARCHAR(36) NOT NULL,
  request_id          VARCHAR(40) NOT NULL,
  challenge_id        VARCHAR(40) NULL,
  requested_at        TIMESTAMP NOT NULL,
  client_id           VARCHAR(255) NOT NULL,
  scope               TEXT NOT NULL,
  granted_scope       TEXT NOT NULL,
  requested_audience  TEXT NOT NULL,
  granted_audience    TEXT NOT NULL,
  form_data           TEXT NOT NULL,
  session_data        TEXT NOT NULL,
  subject             VARCHAR(255) NOT NULL DEFAULT '',
  active              BOOLEAN NOT NULL DEFAULT true,
  expires_at          TIMESTAMP NOT NULL,
  first_used_at       TIMESTAMP NULL,
  used_times          INTEGER NOT NULL DEFAULT 0,
  access_token_signature VARCHAR(96) NULL,
  PRIMARY KEY (signature),
  FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE,
  FOREIGN KEY (client_id, nid) REFERENCES hydra_client (id, nid) ON DELETE CASCADE,
  FOREIGN KEY (challenge_id) REFERENCES hydra_oauth2_flow (consent_challenge_id) ON DELETE CASCADE
);
CREATE INDEX hydra_oauth2_refresh_request_id_idx ON hydra_oauth2_refresh (request_id);
CREATE INDEX hydra_oauth2_refresh_client_id_idx ON hydra_oauth2_refresh (client_id, nid);
CREATE INDEX hydra_oauth2_refresh_challenge_id_idx ON hydra_oauth2_refresh (challenge_id);
CREATE INDEX hydra_oauth2_refresh_expires_at_idx ON hydra_oauth2_refresh (expires_at);

-- Used client-assertion and jwt-bearer jti values (hex SHA-256), kept until the assertion expires.
CREATE TABLE hydra_oauth2_jti_blacklist
(
  signature   VARCHAR(64) NOT NULL,
  nid         VARCHAR(36) NOT NULL,
  expires_at  TIMESTAMP NOT NULL,
  PRIMARY KEY (signature, nid),
  FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE
);
CREATE INDEX hydra_oauth2_jti_blacklist_expires_at_idx ON hydra_oauth2_jti_blacklist (expires_at);
