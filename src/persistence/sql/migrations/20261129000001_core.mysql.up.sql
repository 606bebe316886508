-- Networks (tenants, Hydra's nid) and the shared self-signed TLS certificate. Sessions run in UTC.
CREATE TABLE networks (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- At most one certificate per network (unique nid): replicas racing to create it keep the first.
-- MySQL ignores inline REFERENCES, hence the table-level FOREIGN KEY.
CREATE TABLE warden_tls_certificate (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  nid VARCHAR(36) NOT NULL,
  sealed_private_key TEXT NOT NULL,
  certificate_pem TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT warden_tls_certificate_nid_key UNIQUE (nid),
  CONSTRAINT warden_tls_certificate_nid_fk FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
