import { createHash } from 'node:crypto';
import { withDb } from './support/db';
import { call, createTenant, expectError, TenantKeys } from './support/api';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function paragraphs(n: number, tag: string): string {
  return Array.from({ length: n }, (_, i) => `## Part ${i}\n\n${tag} paragraph ${i}: ` + 'lorem ipsum dolor sit amet '.repeat(30)).join(
    '\n\n',
  );
}

describe('documents', () => {
  let t: TenantKeys;
  let other: TenantKeys;

  beforeAll(async () => {
    [t, other] = await Promise.all([createTenant(), createTenant()]);
  });

  it('creates, then answers "unchanged" for the same text without rewriting anything', async () => {
    const text = '# Title\n\nThe quick brown fox jumps over the lazy dog.';
    const first = await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { doc_id: 'fox', text, title: 'Fox', metadata: { lang: 'en' } },
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      doc_id: 'fox',
      namespace: 'default',
      status: 'created',
      doc_hash: sha256(text),
      chunks: 1,
      embedding_version: 'hash:fh-v1:384',
      pii_counts: {},
    });

    const before = await call<{ updated_at: string; version: number }>('GET', '/v1/docs/fox', { token: t.reader });
    const again = await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { doc_id: 'fox', text, title: 'Fox', metadata: { lang: 'en' } },
    });
    expect(again.body).toMatchObject({ status: 'unchanged', doc_hash: sha256(text), chunks: 1 });
    const after = await call<{ updated_at: string; version: number }>('GET', '/v1/docs/fox', { token: t.reader });
    expect(after.body.updated_at).toBe(before.body.updated_at);
    expect(after.body.version).toBe(before.body.version);
  });

  it('returns the document with text, metadata, status, hashes and timestamps', async () => {
    const text = 'Alpha.\n\nBeta.';
    await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'docs-get', doc_id: 'a/b c', text, title: 'T', metadata: { k: [1, 2] }, subject_ids: ['s2', 's1'] },
    });
    const res = await call('GET', `/v1/docs/${encodeURIComponent('a/b c')}?namespace=docs-get`, { token: t.reader });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      doc_id: 'a/b c',
      namespace: 'docs-get',
      title: 'T',
      text,
      metadata: { k: [1, 2] },
      subject_ids: ['s1', 's2'],
      status: 'active',
      doc_hash: sha256(text),
      chunks: 1,
      chunk_hashes: [expect.stringMatching(/^[0-9a-f]{64}$/)],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expectError(await call('GET', '/v1/docs/a%2Fb%20c', { token: t.reader }), 404, 'document_not_found'); // other namespace
  });

  it('a metadata-only change updates the document and keeps its chunks and vectors', async () => {
    const text = 'Metadata-only change keeps the chunk.';
    await call('POST', '/v1/docs/upsert', { token: t.writer, body: { namespace: 'meta', doc_id: 'm', text, metadata: { v: 1 } } });
    const ids = () =>
      withDb((c) =>
        c.query(`SELECT id FROM chunks WHERE doc_id = 'm' AND namespace = 'meta' AND tenant_id = $1 ORDER BY id`, [t.tenantId]),
      );
    const before = (await ids()).rows;
    const res = await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'meta', doc_id: 'm', text, metadata: { v: 2 } },
    });
    expect(res.body).toMatchObject({ status: 'updated' });
    expect((await ids()).rows).toEqual(before);
    const search = await call<{ results: Array<{ metadata: unknown }> }>('POST', '/v1/search', {
      token: t.reader,
      body: { namespace: 'meta', query: 'metadata chunk', filter: { v: 2 } },
    });
    expect(search.body.results).toHaveLength(1);
  });

  it('changed text replaces the chunks atomically and re-embeds only the changed chunks', async () => {
    const v1 = paragraphs(12, 'first');
    const created = await call<{ chunks: number }>('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'replace', doc_id: 'long', text: v1 },
    });
    expect(created.body.chunks).toBeGreaterThan(3);
    const hashes = async () =>
      (await call<{ chunk_hashes: string[] }>('GET', '/v1/docs/long?namespace=replace', { token: t.reader })).body.chunk_hashes;
    const before = new Set(await hashes());

    // Change one section only: every other chunk's text (and hash) is unchanged, so only one chunk is new.
    const v2 = v1.replace('first paragraph 5:', 'CHANGED paragraph 5:');
    const updated = await call<{ status: string; chunks: number }>('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'replace', doc_id: 'long', text: v2 },
    });
    expect(updated.body.status).toBe('updated');
    const after = await hashes();
    expect(after.filter((h) => !before.has(h))).toHaveLength(1);
    const cached = await withDb((c) =>
      c.query(`SELECT count(*)::int AS n FROM embedding_cache WHERE chunk_hash = ANY($1::text[])`, [after]),
    );
    expect(cached.rows[0].n).toBe(new Set(after).size);

    const rows = await withDb((c) =>
      c.query(`SELECT ordinal, text FROM chunks WHERE tenant_id = $1 AND namespace = 'replace' AND doc_id = 'long' ORDER BY ordinal`, [
        t.tenantId,
      ]),
    );
    expect(rows.rows).toHaveLength(updated.body.chunks);
    expect(rows.rows.map((r) => r.ordinal)).toEqual([...Array(updated.body.chunks).keys()]);
    expect(rows.rows.some((r) => String(r.text).includes('CHANGED'))).toBe(true);
  });

  it('a concurrent search sees the old or the new version, never a mix or duplicates', async () => {
    const version = (tag: string) =>
      Array.from(
        { length: 6 },
        (_, i) => `## Section ${i}\n\nzebra ${tag} marker section ${i} ` + 'striped savanna grazing '.repeat(40),
      ).join('\n\n');
    await call('POST', '/v1/docs/upsert', { token: t.writer, body: { namespace: 'atomic', doc_id: 'z', text: version('alpha') } });

    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 12; i++)
        await call('POST', '/v1/docs/upsert', {
          token: t.writer,
          body: { namespace: 'atomic', doc_id: 'z', text: version(i % 2 ? 'alpha' : 'omega') },
        });
      writing = false;
    })();
    let searches = 0;
    while (writing) {
      const res = await call<{ results: Array<{ chunk_id: string; text: string }> }>('POST', '/v1/search', {
        token: t.reader,
        body: { namespace: 'atomic', query: 'zebra marker section', top_k: 50, mode: 'hybrid' },
      });
      expect(res.status).toBe(200);
      const tags = new Set(res.body.results.map((r) => (r.text.includes('alpha') ? 'alpha' : 'omega')));
      expect(tags.size).toBe(1);
      expect(new Set(res.body.results.map((r) => r.chunk_id)).size).toBe(res.body.results.length);
      expect(new Set(res.body.results.map((r) => r.text)).size).toBe(res.body.results.length);
      searches++;
    }
    await writer;
    expect(searches).toBeGreaterThan(0);
  });

  it('lists documents with a cursor', async () => {
    for (let i = 0; i < 5; i++)
      await call('POST', '/v1/docs/upsert', {
        token: t.writer,
        body: { namespace: 'list', doc_id: `d${i}`, text: `document number ${i}` },
      });
    type Page = { items: Array<{ doc_id: string; text?: string }>; next_cursor: string | null };
    const listPage = (cursor: string | null) =>
      call<Page>('GET', `/v1/docs?namespace=list&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: t.reader });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listPage(cursor);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      page.body.items.forEach((item) => expect(item.text).toBeUndefined());
      seen.push(...page.body.items.map((i) => i.doc_id));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    expect(pages).toBe(3);
    expectError(await call('GET', '/v1/docs?namespace=list&cursor=garbage', { token: t.reader }), 400, 'invalid_request');
    expectError(await call('GET', '/v1/docs?limit=0', { token: t.reader }), 400, 'invalid_request');
    expectError(await call('GET', '/v1/docs?limit=101', { token: t.reader }), 400, 'invalid_request');
  });

  it('delete hides the document from GET, list and search at once; 404 when absent', async () => {
    await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'del', doc_id: 'gone', text: 'platypus venom is unusual among mammals' },
    });
    await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'del', doc_id: 'stays', text: 'platypus bills sense electric fields' },
    });
    const del = await call('DELETE', '/v1/docs/gone?namespace=del', { token: t.writer });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ doc_id: 'gone', deleted: true });

    expectError(await call('GET', '/v1/docs/gone?namespace=del', { token: t.reader }), 404, 'document_not_found');
    const list = await call<{ items: Array<{ doc_id: string }> }>('GET', '/v1/docs?namespace=del', { token: t.reader });
    expect(list.body.items.map((i) => i.doc_id)).toEqual(['stays']);
    for (const mode of ['hybrid', 'vector', 'keyword']) {
      const res = await call<{ results: Array<{ doc_id: string }> }>('POST', '/v1/search', {
        token: t.reader,
        body: { namespace: 'del', query: 'platypus venom', mode },
      });
      expect(res.body.results.map((r) => r.doc_id)).not.toContain('gone');
    }
    expectError(await call('DELETE', '/v1/docs/gone?namespace=del', { token: t.writer }), 404, 'document_not_found');
    expectError(await call('DELETE', '/v1/docs/never-existed?namespace=del', { token: t.writer }), 404, 'document_not_found');

    const again = await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'del', doc_id: 'gone', text: 'platypus venom is unusual among mammals' },
    });
    expect(again.body).toMatchObject({ status: 'created' });
  });

  it('isolates tenants: another tenant cannot GET, DELETE, list or find the documents', async () => {
    await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'iso', doc_id: 'secret', text: 'quokka selfies on rottnest island' },
    });
    expectError(await call('GET', '/v1/docs/secret?namespace=iso', { token: other.reader }), 404, 'document_not_found');
    expectError(await call('DELETE', '/v1/docs/secret?namespace=iso', { token: other.writer }), 404, 'document_not_found');
    const list = await call<{ items: unknown[] }>('GET', '/v1/docs?namespace=iso', { token: other.reader });
    expect(list.body.items).toEqual([]);
    for (const mode of ['hybrid', 'vector', 'keyword']) {
      const res = await call<{ results: unknown[]; total_found: number }>('POST', '/v1/search', {
        token: other.reader,
        body: { namespace: 'iso', query: 'quokka selfies', mode },
      });
      expect(res.body).toMatchObject({ results: [], total_found: 0 });
    }
    const stats = await call('GET', '/v1/index/stats?namespace=iso', { token: other.reader });
    expect(stats.body).toMatchObject({ documents: 0, chunks: 0 });
    // The same doc_id in the other tenant is a different document.
    const own = await call('POST', '/v1/docs/upsert', {
      token: other.writer,
      body: { namespace: 'iso', doc_id: 'secret', text: 'something else entirely' },
    });
    expect(own.body).toMatchObject({ status: 'created' });
    expect((await call<{ text: string }>('GET', '/v1/docs/secret?namespace=iso', { token: t.reader })).body.text).toBe(
      'quokka selfies on rottnest island',
    );
  });

  it('index stats count documents, chunks and deleted ones; a namespace this small is searched exactly', async () => {
    await call('POST', '/v1/docs/upsert', { token: t.writer, body: { namespace: 'stats', doc_id: 's1', text: 'one' } });
    await call('POST', '/v1/docs/upsert', { token: t.writer, body: { namespace: 'stats', doc_id: 's2', text: 'two' } });
    await call('DELETE', '/v1/docs/s2?namespace=stats', { token: t.writer });
    const res = await call('GET', '/v1/index/stats?namespace=stats', { token: t.reader });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      namespace: 'stats',
      documents: 1,
      chunks: 1,
      deleted: 1,
      embedding_version: 'hash:fh-v1:384',
      index: { type: 'hnsw', distance: 'cosine', dimensions: 384, valid: false, serving: 'exact', size_bytes: 0 },
    });
  });
});
