-- Login/consent flows and login sessions, with Hydra's table and column names (hydra-api.md §3, §8.4).
CREATE TABLE hydra_oauth2_authentication_session
(
  id                            VARCHAR(40) NOT NULL,
  nid                           VARCHAR(36) NOT NULL,
  authenticated_at              TIMESTAMP NULL,
  subject                       VARCHAR(255) NOT NULL,
  remember                      BOOLEAN NOT NULL DEFAULT false,
  identity_provider_session_id  VARCHAR(255) NOT NULL DEFAULT '',
  expires_at                    TIMESTAMP NULL,
  PRIMARY KEY (id),
  FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE
);
CREATE INDEX hydra_oauth2_authentication_session_subject_idx ON hydra_oauth2_authentication_session (subject, nid);

CREATE TABLE hydra_oauth2_obfuscated_authentication_session
(
  subject             VARCHAR(255) NOT NULL,
  client_id           VARCHAR(255) NOT NULL,
  subject_obfuscated  VARCHAR(255) NOT NULL,
  nid                 VARCHAR(36) NOT NULL,
  PRIMARY KEY (subject, client_id, nid),
  CONSTRAINT hydra_oauth2_obfuscated_authentication_session_so_key UNIQUE (client_id, subject_obfuscated, nid),
  FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE,
  FOREIGN KEY (client_id, nid) REFERENCES hydra_client (id, nid) ON DELETE CASCADE
);

-- Completed login + consent grants ("consent sessions"). Written once, when the consent verifier is redeemed:
-- the primary key makes every verifier single-use. consent_challenge_id is the grant's consent request id, which
-- every token of the grant references (ON DELETE CASCADE), so deleting a row revokes the grant's tokens.
-- expires_at = requested_at + consent_remember_for (NULL = remembered forever), computed on insert.
CREATE TABLE hydra_oauth2_flow
(
  login_challenge                 VARCHAR(40) NOT NULL,
  nid                             VARCHAR(36) NOT NULL,
  requested_scope                 TEXT NOT NULL,
  requested_at_audience           TEXT NOT NULL,
  request_url                     TEXT NOT NULL,
  login_skip                      BOOLEAN NOT NULL DEFAULT false,
  subject                         VARCHAR(255) NOT NULL,
  oidc_context                    TEXT NOT NULL,
  client_id                       VARCHAR(255) NOT NULL,
  requested_at                    TIMESTAMP NOT NULL,
  login_session_id                VARCHAR(40) NULL,
  login_remember                  BOOLEAN NOT NULL DEFAULT false,
  login_remember_for              INTEGER NOT NULL DEFAULT 0,
  login_extend_session_lifespan   BOOLEAN NOT NULL DEFAULT false,
  login_authenticated_at          TIMESTAMP NULL,
  acr                             TEXT NOT NULL,
  amr                             TEXT NOT NULL,
  context                         TEXT NOT NULL,
  forced_subject_identifier       VARCHAR(255) NOT NULL DEFAULT '',
  identity_provider_session_id    VARCHAR(255) NOT NULL DEFAULT '',
  consent_challenge_id            VARCHAR(40) NOT NULL,
  consent_skip                    BOOLEAN NOT NULL DEFAULT false,
  consent_remember                BOOLEAN NOT NULL DEFAULT false,
  consent_remember_for            INTEGER NOT NULL DEFAULT 0,
  consent_handled_at              TIMESTAMP NULL,
  granted_scope                   TEXT NOT NULL,
  granted_at_audience             TEXT NOT NULL,
  session_access_token            TEXT NOT NULL,
  session_id_token                TEXT NOT NULL,
  state                           INTEGER NOT NULL,
  expires_at                      TIMESTAMP NULL,
  PRIMARY KEY (login_challenge),
  CONSTRAINT hydra_oauth2_flow_consent_challenge_id_key UNIQUE (consent_challenge_id),
  FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE,
  FOREIGN KEY (client_id, nid) REFERENCES hydra_client (id, nid) ON DELETE CASCADE,
  FOREIGN KEY (login_session_id) REFERENCES hydra_oauth2_authentication_session (id) ON DELETE SET NULL
);
CREATE INDEX hydra_oauth2_flow_client_subject_idx ON hydra_oauth2_flow (client_id, subject, nid);
CREATE INDEX hydra_oauth2_flow_subject_idx ON hydra_oauth2_flow (subject, nid, login_challenge);
CREATE INDEX hydra_oauth2_flow_login_session_id_idx ON hydra_oauth2_flow (login_session_id);
