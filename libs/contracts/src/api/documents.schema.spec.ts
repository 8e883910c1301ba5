import { UpsertDocumentRequestSchema } from './documents.schema';

const valid = { doc_id: 'handbook/intro.md', text: '# Intro\n\nHello world.' };

function issuesOf(input: unknown): Array<{ path: string; message: string; code: string }> {
  const parsed = UpsertDocumentRequestSchema.safeParse(input);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));
}

describe('UpsertDocumentRequestSchema', () => {
  it('accepts a minimal request and leaves optional fields absent', () => {
    expect(UpsertDocumentRequestSchema.parse(valid)).toEqual(valid);
  });

  it('accepts every optional field', () => {
    const full = {
      ...valid,
      namespace: 'team-a:docs_v1.2',
      title: 'Intro',
      metadata: { lang: 'en', tags: ['a', 'b'], nested: { n: 1, ok: true, none: null } },
      subject_ids: ['user-1', 'user-2'],
    };
    expect(UpsertDocumentRequestSchema.parse(full)).toEqual(full);
  });

  it('requires doc_id and text', () => {
    expect(issuesOf({ text: 'x' }).map((i) => i.path)).toEqual(['doc_id']);
    expect(issuesOf({ doc_id: 'd' }).map((i) => i.path)).toEqual(['text']);
    expect(
      issuesOf({})
        .map((i) => i.path)
        .sort(),
    ).toEqual(['doc_id', 'text']);
  });

  it('rejects an empty doc_id, one with control characters and one longer than 512 characters', () => {
    expect(issuesOf({ ...valid, doc_id: '' })[0]?.message).toBe('doc_id must not be empty');
    expect(issuesOf({ ...valid, doc_id: 'a\nb' })).toEqual([
      expect.objectContaining({ path: 'doc_id', message: 'doc_id must not contain control characters' }),
    ]);
    expect(issuesOf({ ...valid, doc_id: 'a\u007fb' })[0]?.path).toBe('doc_id');
    expect(issuesOf({ ...valid, doc_id: 'x'.repeat(513) })[0]?.message).toBe('doc_id must be at most 512 characters');
    expect(UpsertDocumentRequestSchema.safeParse({ ...valid, doc_id: 'x'.repeat(512) }).success).toBe(true);
  });

  it.each([[''], [' '], ['\n\t  \r\n']])('rejects empty or whitespace-only text %j', (text) => {
    expect(issuesOf({ ...valid, text })).toEqual([
      expect.objectContaining({ path: 'text', message: 'must contain at least one non-whitespace character' }),
    ]);
  });

  it('rejects text containing a NUL character', () => {
    expect(issuesOf({ ...valid, text: 'before\u0000after' })).toEqual([
      expect.objectContaining({ path: 'text', message: 'must not contain NUL (\\u0000) characters' }),
    ]);
  });

  it('rejects unknown fields by name', () => {
    expect(issuesOf({ ...valid, tenant_id: 'someone-else' })).toEqual([expect.objectContaining({ code: 'unrecognized_keys' })]);
    const parsed = UpsertDocumentRequestSchema.safeParse({ ...valid, tenant_id: 'x', extra: 1 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['tenant_id', 'extra'] });
  });

  it('rejects metadata that serialises to more than 32 KiB, and accepts it at the limit', () => {
    // {"k":"<n chars>"} is n + 8 bytes.
    const limit = 32 * 1024;
    expect(UpsertDocumentRequestSchema.safeParse({ ...valid, metadata: { k: 'v'.repeat(limit - 8) } }).success).toBe(true);
    expect(issuesOf({ ...valid, metadata: { k: 'v'.repeat(limit - 7) } })).toEqual([
      expect.objectContaining({ path: 'metadata', message: 'metadata must serialise to at most 32768 bytes of JSON' }),
    ]);
  });

  it('counts metadata size in UTF-8 bytes, not characters', () => {
    // 'é' is 2 bytes: 16384 of them are 32 KiB of payload alone.
    expect(issuesOf({ ...valid, metadata: { k: 'é'.repeat(16_384) } })[0]?.path).toBe('metadata');
  });

  it('rejects metadata that is not an object, NUL in metadata values or keys, and an empty key', () => {
    expect(issuesOf({ ...valid, metadata: ['a'] })[0]?.path).toBe('metadata');
    expect(issuesOf({ ...valid, metadata: 'a' })[0]?.path).toBe('metadata');
    expect(issuesOf({ ...valid, metadata: { k: 'a\u0000b' } })).toEqual([
      expect.objectContaining({ path: 'metadata', message: 'metadata must not contain NUL (\\u0000) characters' }),
    ]);
    expect(issuesOf({ ...valid, metadata: { deep: { er: ['x\u0000'] } } })[0]?.message).toMatch(/NUL/);
    expect(issuesOf({ ...valid, metadata: { 'a\u0000': 1 } })[0]?.path).toMatch(/^metadata/);
    expect(issuesOf({ ...valid, metadata: { '': 1 } })[0]?.path).toMatch(/^metadata/);
  });

  it('limits title length and subject_ids', () => {
    expect(issuesOf({ ...valid, title: 't'.repeat(1001) })[0]).toMatchObject({
      path: 'title',
      message: 'title must be at most 1000 characters',
    });
    expect(issuesOf({ ...valid, subject_ids: Array.from({ length: 101 }, (_, i) => `s${i}`) })[0]).toMatchObject({
      path: 'subject_ids',
      message: 'at most 100 subject_ids',
    });
    expect(issuesOf({ ...valid, subject_ids: [''] })[0]?.path).toBe('subject_ids.0');
  });

  it('validates the namespace with the namespace rules', () => {
    expect(issuesOf({ ...valid, namespace: '-leading-dash' })[0]?.path).toBe('namespace');
  });
});
