import { createHmac, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'df_';

export interface IssuedKey {
  apiKey: string;
  prefix: string;
  hash: Buffer;
}

/**
 * API keys are 32 random bytes behind a `df_` marker (so secret scanners can spot them). Only an
 * HMAC-SHA-256 with the server's pepper is stored: a leaked table alone cannot be used to log in.
 */
export class ApiKeyCodec {
  constructor(private readonly pepper: string) {}

  issue(): IssuedKey {
    const apiKey = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    return { apiKey, prefix: apiKey.slice(0, KEY_PREFIX.length + 6), hash: this.hash(apiKey) };
  }

  hash(apiKey: string): Buffer {
    return createHmac('sha256', this.pepper).update(apiKey).digest();
  }

  looksLikeKey(token: string): boolean {
    return token.startsWith(KEY_PREFIX) && token.length > KEY_PREFIX.length + 20 && token.length < 200;
  }
}
