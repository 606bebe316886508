// Subject identifiers (OIDC Core §8, hydra-api.md §3.8): public, or pairwise = hex(SHA-256(sector ‖ subject ‖ salt)).
import { createHash } from 'node:crypto'
import type { OAuth2Client } from '../clients/client.js'
import { invalidRequest } from '../errors/catalogue.js'

/** The sector: the full sector_identifier_uri string, else the host of the single redirect URI. */
export function sectorIdentifier (client: Pick<OAuth2Client, 'sectorIdentifierUri' | 'redirectUris'>): string {
  if (client.sectorIdentifierUri !== '') return client.sectorIdentifierUri
  const uris = client.redirectUris ?? []
  if (uris.length !== 1) {
    throw invalidRequest('Without a sector_identifier_uri a pairwise client must register exactly one redirect URI.')
  }
  return new URL(uris[0] as string).host
}

export function pairwiseSubject (sector: string, subject: string, salt: string): string {
  return createHash('sha256').update(sector).update(subject).update(salt).digest('hex')
}

/**
 * The subject this client sees. `forced` (force_subject_identifier) wins for pairwise clients; public clients
 * always see the real subject.
 */
export function clientSubject (client: Pick<OAuth2Client, 'subjectType' | 'sectorIdentifierUri' | 'redirectUris'>, subject: string, salt: string, forced: string | undefined): string {
  if (client.subjectType !== 'pairwise') return subject
  if (forced !== undefined && forced !== '') return forced
  return pairwiseSubject(sectorIdentifier(client), subject, salt)
}
