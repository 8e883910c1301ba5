import { createHmac } from 'node:crypto';

/**
 * The salted hash under which a data subject id is kept once it must no longer be stored in clear (erasure
 * requests, tombstones, the audit trail): HMAC-SHA-256 with GOVERNANCE_SIGNING_KEY, hex.
 */
export function subjectHash(key: string, subjectId: string): string {
  return createHmac('sha256', key).update(`subject:${subjectId}`).digest('hex');
}
