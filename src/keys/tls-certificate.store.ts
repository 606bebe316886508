// Storage of the self-signed TLS key pair every replica shares (Hydra keeps it in JWK set `hydra.https-tls`).

export interface StoredTlsCertificate {
  /** PEM private key, sealed at rest by the store's caller. */
  sealedPrivateKeyPem: string
  certificatePem: string
  createdAt: Date
}

export interface TlsCertificateStore {
  find(): Promise<StoredTlsCertificate | undefined>
  /**
   * Inserts when no certificate exists yet and returns whichever one is stored afterwards, so
   * replicas racing on a fresh database all end up with the same certificate.
   */
  insertIfAbsent(candidate: StoredTlsCertificate): Promise<StoredTlsCertificate>
}
