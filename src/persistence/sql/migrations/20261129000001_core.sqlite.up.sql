-- Networks (tenants, Hydra's nid) and the shared self-signed TLS certificate.
CREATE TABLE networks (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- At most one certificate per network (unique nid): replicas racing to create it keep the first.
CREATE TABLE warden_tls_certificate (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  nid VARCHAR(36) NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
  sealed_private_key TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT warden_tls_certificate_nid_key UNIQUE (nid)
);
