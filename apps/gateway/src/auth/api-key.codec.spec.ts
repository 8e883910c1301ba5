import { createHmac } from 'node:crypto';
import { ApiKeyCodec } from './api-key.codec';

const PEPPER = 'pepper-0123456789abcdefghijklmnop';

describe('ApiKeyCodec', () => {
  const codec = new ApiKeyCodec(PEPPER);

  it('issues df_ keys of 32 random bytes (base64url) with a displayable prefix', () => {
    const key = codec.issue();
    expect(key.apiKey).toMatch(/^df_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.apiKey.slice(3), 'base64url')).toHaveLength(32);
    expect(key.prefix).toBe(key.apiKey.slice(0, 9));
    expect(key.prefix.startsWith('df_')).toBe(true);
  });

  it('stores the HMAC-SHA-256 of the whole key under the pepper, never the key', () => {
    const key = codec.issue();
    expect(key.hash).toEqual(createHmac('sha256', PEPPER).update(key.apiKey).digest());
    expect(key.hash).toHaveLength(32);
    expect(codec.hash(key.apiKey)).toEqual(key.hash);
  });

  it('issues a different key every time', () => {
    const keys = Array.from({ length: 50 }, () => codec.issue());
    expect(new Set(keys.map((k) => k.apiKey)).size).toBe(50);
    expect(new Set(keys.map((k) => k.hash.toString('hex'))).size).toBe(50);
  });

  it('hashes deterministically for one pepper and differently across peppers', () => {
    const apiKey = 'df_' + 'A'.repeat(43);
    expect(codec.hash(apiKey)).toEqual(new ApiKeyCodec(PEPPER).hash(apiKey));
    expect(codec.hash(apiKey)).not.toEqual(new ApiKeyCodec(`${PEPPER}x`).hash(apiKey));
    expect(codec.hash(apiKey)).not.toEqual(codec.hash(`${apiKey}B`));
  });

  it('recognises issued keys and rejects other tokens', () => {
    expect(codec.looksLikeKey(codec.issue().apiKey)).toBe(true);
    expect(codec.looksLikeKey('df_' + 'a'.repeat(21))).toBe(true);
    expect(codec.looksLikeKey('df_' + 'a'.repeat(20))).toBe(false);
    expect(codec.looksLikeKey('df_' + 'a'.repeat(196))).toBe(true);
    expect(codec.looksLikeKey('df_' + 'a'.repeat(197))).toBe(false);
    expect(codec.looksLikeKey('sk_' + 'a'.repeat(43))).toBe(false);
    expect(codec.looksLikeKey('DF_' + 'a'.repeat(43))).toBe(false);
    expect(codec.looksLikeKey('')).toBe(false);
    expect(codec.looksLikeKey('Bearer df_' + 'a'.repeat(43))).toBe(false);
  });
});
