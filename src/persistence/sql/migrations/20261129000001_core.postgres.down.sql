DROP TABLE warden_tls_certificate;
DROP TABLE networks;
