import { IntegrationDb, openIntegrationDb } from '@datafactory/testing';
import 'reflect-metadata';
import { createHash, randomUUID } from 'node:crypto';
import { TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';
import { toVectorLiteral } from '@datafactory/db';
import { DocumentWrite } from './document-write';
import { DocumentsRepository } from './documents.repository';

/** This file's own embedding version, so its cache entries never meet another file's. */
const VERSION = 'test:docs:8';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A deterministic 8-dimensional vector per text. */
function vectorFor(text: string): number[] {
  const digest = createHash('sha256').update(text).digest();
  return Array.from({ length: 8 }, (_, i) => (digest[i] as number) / 255 - 0.5);
}

interface WriteOptions {
  namespace?: string;
  title?: string | null;
  metadata?: Record<string, unknown>;
  subjectIds?: string[];
  /** Which chunk embeddings to send along; the rest must already be in the cache. Default: all. */
  embed?: 'all' | 'none';
}

function documentWrite(docId: string, chunkTexts: string[], opts: WriteOptions = {}): DocumentWrite {
  const title = opts.title ?? null;
  const metadata = opts.metadata ?? {};
  const subjectIds = opts.subjectIds ?? [];
  const text = chunkTexts.join('\n\n');
  const chunks = chunkTexts.map((t, ordinal) => ({ ordinal, text: t, hash: sha(t), tokenCount: t.split(/\s+/).length }));
  return {
    namespace: opts.namespace ?? 'default',
    docId,
    title,
    text,
    metadata,
    subjectIds,
    docHash: sha(text),
    metaHash: sha(JSON.stringify({ title, metadata, subjectIds })),
    embeddingVersion: VERSION,
    tokenCount: chunks.reduce((sum, c) => sum + c.tokenCount, 0),
    chunks,
    newEmbeddings:
      (opts.embed ?? 'all') === 'all' ? [...new Set(chunkTexts)].map((t) => ({ hash: sha(t), vector: toVectorLiteral(vectorFor(t)) })) : [],
  };
}

describe('DocumentsRepository (Postgres)', () => {
  let db: IntegrationDb;
  let ds: DataSource;
  let docs: DocumentsRepository;
  let tenantA: TenantId;
  let tenantB: TenantId;

  beforeAll(async () => {
    db = await openIntegrationDb({ name: 'documents', poolSize: 24, statementTimeoutMs: 15_000 });
    ds = db.ds;
    docs = new DocumentsRepository(ds);
    tenantA = await db.tenant('documents-int A');
    tenantB = await db.tenant('documents-int B');
  });

  afterAll(async () => {
    await db?.close();
  });

  /** Every chunk row of a document, deleted or not, in ordinal order. */
  async function chunkRows(tenantId: TenantId, namespace: string, docId: string) {
    return (await ds.query(
      `SELECT c.id, c.ordinal, c.chunk_hash, c.text, c.metadata, c.deleted_at, c.tenant_id, c.embedding::text AS embedding
         FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE d.tenant_id = $1 AND d.namespace = $2 AND d.doc_id = $3 ORDER BY c.ordinal`,
      [tenantId, namespace, docId],
    )) as Array<{
      id: string;
      ordinal: number;
      chunk_hash: string;
      text: string;
      metadata: Record<string, unknown>;
      deleted_at: Date | null;
      tenant_id: string;
      embedding: string;
    }>;
  }

  it('goes created → unchanged → updated (metadata) → updated (text) → deleted → created', async () => {
    const ns = `life-${randomUUID()}`;
    const v1 = documentWrite('guide.md', ['First chunk about tenants.', 'Second chunk about keys.'], {
      namespace: ns,
      metadata: { lang: 'en' },
      title: 'Guide',
    });

    // created
    await expect(docs.write(tenantA, v1)).resolves.toEqual({ status: 'created', chunkCount: 2, version: 1 });
    const created = await chunkRows(tenantA, ns, 'guide.md');
    expect(created.map((c) => [c.ordinal, c.text, c.chunk_hash])).toEqual([
      [0, 'First chunk about tenants.', sha('First chunk about tenants.')],
      [1, 'Second chunk about keys.', sha('Second chunk about keys.')],
    ]);
    expect(created.every((c) => c.tenant_id === tenantA && c.deleted_at === null)).toBe(true);
    expect(created.map((c) => c.metadata)).toEqual([{ lang: 'en' }, { lang: 'en' }]);
    // The vector comes from the embedding cache, exactly as it was written.
    expect(created[0]!.embedding).toBe(toVectorLiteral(vectorFor('First chunk about tenants.')));

    const got = await docs.get(tenantA, ns, 'guide.md');
    expect(got).toMatchObject({
      namespace: ns,
      docId: 'guide.md',
      title: 'Guide',
      text: 'First chunk about tenants.\n\nSecond chunk about keys.',
      metadata: { lang: 'en' },
      subjectIds: [],
      status: 'active',
      docHash: v1.docHash,
      chunkCount: 2,
      tokenCount: v1.tokenCount,
      embeddingVersion: VERSION,
      version: 1,
      chunkHashes: [sha('First chunk about tenants.'), sha('Second chunk about keys.')],
    });
    expect(got!.createdAt).toBeInstanceOf(Date);

    // unchanged: same hashes, nothing written
    await expect(docs.write(tenantA, { ...v1, newEmbeddings: [] })).resolves.toEqual({ status: 'unchanged', chunkCount: 2, version: 1 });
    expect((await chunkRows(tenantA, ns, 'guide.md')).map((c) => c.id)).toEqual(created.map((c) => c.id));

    // updated, metadata only: same chunk rows, new filterable copy of the metadata
    const v2 = documentWrite('guide.md', ['First chunk about tenants.', 'Second chunk about keys.'], {
      namespace: ns,
      metadata: { lang: 'de', tier: 2 },
      title: 'Anleitung',
      subjectIds: ['user-7'],
      embed: 'none',
    });
    await expect(docs.write(tenantA, v2)).resolves.toEqual({ status: 'updated', chunkCount: 2, version: 2 });
    const afterMeta = await chunkRows(tenantA, ns, 'guide.md');
    expect(afterMeta.map((c) => c.id)).toEqual(created.map((c) => c.id));
    expect(afterMeta.map((c) => c.metadata)).toEqual([
      { lang: 'de', tier: 2 },
      { lang: 'de', tier: 2 },
    ]);
    await expect(docs.get(tenantA, ns, 'guide.md')).resolves.toMatchObject({ title: 'Anleitung', subjectIds: ['user-7'], version: 2 });

    // updated, text changed: all chunks replaced
    const v3 = documentWrite('guide.md', ['First chunk about tenants.', 'A new second chunk.', 'And a third one.'], {
      namespace: ns,
      metadata: { lang: 'de', tier: 2 },
      title: 'Anleitung',
      subjectIds: ['user-7'],
    });
    await expect(docs.write(tenantA, v3)).resolves.toEqual({ status: 'updated', chunkCount: 3, version: 3 });
    const afterText = await chunkRows(tenantA, ns, 'guide.md');
    expect(afterText).toHaveLength(3);
    expect(afterText.map((c) => c.text)).toEqual(['First chunk about tenants.', 'A new second chunk.', 'And a third one.']);
    const oldIds = new Set(created.map((c) => c.id));
    expect(afterText.filter((c) => oldIds.has(c.id))).toEqual([]);
    const stillThere: Array<{ n: number }> = await ds.query(`SELECT count(*)::int AS n FROM chunks WHERE id = ANY($1::uuid[])`, [
      [...oldIds],
    ]);
    expect(stillThere[0]!.n).toBe(0);
    await expect(docs.findState(tenantA, ns, 'guide.md')).resolves.toMatchObject({
      status: 'active',
      docHash: v3.docHash,
      chunkCount: 3,
      version: 3,
    });

    // soft delete: gone from reads, chunks flagged in the same transaction
    await expect(docs.softDelete(tenantA, ns, 'guide.md')).resolves.toBe(true);
    await expect(docs.get(tenantA, ns, 'guide.md')).resolves.toBeNull();
    await expect(docs.list(tenantA, ns, 10, null)).resolves.toEqual([]);
    expect((await chunkRows(tenantA, ns, 'guide.md')).every((c) => c.deleted_at instanceof Date)).toBe(true);
    await expect(docs.findState(tenantA, ns, 'guide.md')).resolves.toMatchObject({ status: 'deleted', version: 4 });
    await expect(docs.softDelete(tenantA, ns, 'guide.md')).resolves.toBe(false);

    // written again with the very same content: it comes back as created, with live chunks
    await expect(docs.write(tenantA, { ...v3, newEmbeddings: [] })).resolves.toEqual({ status: 'created', chunkCount: 3, version: 5 });
    const revived = await chunkRows(tenantA, ns, 'guide.md');
    expect(revived).toHaveLength(3);
    expect(revived.every((c) => c.deleted_at === null)).toBe(true);
    await expect(docs.get(tenantA, ns, 'guide.md')).resolves.toMatchObject({ status: 'active', chunkCount: 3, version: 5 });
  });

  it('updates instead of keeping the old chunks when the embedding version changes', async () => {
    const ns = `ver-${randomUUID()}`;
    const w = documentWrite('d', ['versioned chunk text'], { namespace: ns });
    await docs.write(tenantA, w);
    const before = await chunkRows(tenantA, ns, 'd');
    const other = { ...w, embeddingVersion: 'test:docs-other:8' };
    await expect(docs.write(tenantA, other)).resolves.toMatchObject({ status: 'updated', chunkCount: 1 });
    const after = await chunkRows(tenantA, ns, 'd');
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before[0]!.id);
    await expect(docs.findState(tenantA, ns, 'd')).resolves.toMatchObject({ embeddingVersion: 'test:docs-other:8' });
  });

  it('reuses embeddings from the cache when the write brings none', async () => {
    const ns = `cache-${randomUUID()}`;
    const texts = [`cached chunk ${randomUUID()}`];
    await docs.write(tenantA, documentWrite('first', texts, { namespace: ns }));
    await expect(docs.existingEmbeddings(VERSION, [sha(texts[0]!), sha('nope')])).resolves.toEqual(new Set([sha(texts[0]!)]));
    await expect(docs.write(tenantA, documentWrite('second', texts, { namespace: ns, embed: 'none' }))).resolves.toMatchObject({
      status: 'created',
      chunkCount: 1,
    });
    expect((await chunkRows(tenantA, ns, 'second'))[0]!.embedding).toBe(toVectorLiteral(vectorFor(texts[0]!)));
  });

  it('stores a document whose chunks repeat the same text', async () => {
    const ns = `dup-${randomUUID()}`;
    const w = documentWrite('rep', ['same words', 'same words', 'other words'], { namespace: ns });
    expect(w.newEmbeddings).toHaveLength(2);
    await expect(docs.write(tenantA, w)).resolves.toMatchObject({ status: 'created', chunkCount: 3 });
    expect((await chunkRows(tenantA, ns, 'rep')).map((c) => c.text)).toEqual(['same words', 'same words', 'other words']);
  });

  it("fails with 'chunk write incomplete' when a chunk has no embedding anywhere, and writes nothing", async () => {
    const ns = `missing-${randomUUID()}`;
    const missing = `never embedded ${randomUUID()}`;
    const w = documentWrite('gap', ['this one is embedded', missing], { namespace: ns });
    const partial = { ...w, newEmbeddings: w.newEmbeddings.filter((e) => e.hash !== sha(missing)) };
    await expect(docs.write(tenantA, partial)).rejects.toThrow('chunk write incomplete: 1 of 2 chunks had an embedding');
    await expect(docs.findState(tenantA, ns, 'gap')).resolves.toBeNull();

    // Same for an existing document whose new text lacks embeddings: the old version stays intact.
    await docs.write(tenantA, documentWrite('gap', ['this one is embedded'], { namespace: ns }));
    await expect(docs.write(tenantA, partial)).rejects.toThrow(/^chunk write incomplete/);
    await expect(docs.findState(tenantA, ns, 'gap')).resolves.toMatchObject({ status: 'active', chunkCount: 1, version: 1 });
    expect((await chunkRows(tenantA, ns, 'gap')).map((c) => c.text)).toEqual(['this one is embedded']);
  });

  it("isolates tenants: B cannot get, list, find or delete A's document, and B's own copy is separate", async () => {
    const ns = `iso-${randomUUID()}`;
    await docs.write(tenantA, documentWrite('secret.md', ['tenant A private text'], { namespace: ns }));

    await expect(docs.get(tenantB, ns, 'secret.md')).resolves.toBeNull();
    await expect(docs.findState(tenantB, ns, 'secret.md')).resolves.toBeNull();
    await expect(docs.list(tenantB, ns, 10, null)).resolves.toEqual([]);
    await expect(docs.softDelete(tenantB, ns, 'secret.md')).resolves.toBe(false);
    await expect(docs.get(tenantA, ns, 'secret.md')).resolves.toMatchObject({ status: 'active', text: 'tenant A private text' });

    // The same doc_id under tenant B is a different document.
    await expect(docs.write(tenantB, documentWrite('secret.md', ['tenant B text'], { namespace: ns }))).resolves.toMatchObject({
      status: 'created',
    });
    await expect(docs.get(tenantA, ns, 'secret.md')).resolves.toMatchObject({ text: 'tenant A private text' });
    await expect(docs.get(tenantB, ns, 'secret.md')).resolves.toMatchObject({ text: 'tenant B text' });
    expect((await chunkRows(tenantB, ns, 'secret.md')).map((c) => [c.text, c.tenant_id])).toEqual([['tenant B text', tenantB]]);
    await expect(docs.softDelete(tenantB, ns, 'secret.md')).resolves.toBe(true);
    await expect(docs.get(tenantA, ns, 'secret.md')).resolves.toMatchObject({ status: 'active' });
    expect((await chunkRows(tenantA, ns, 'secret.md')).every((c) => c.deleted_at === null)).toBe(true);
  });

  it('lists active documents of one namespace by doc_id, one extra row signalling a next page', async () => {
    const ns = `list-${randomUUID()}`;
    const ids = ['doc-05', 'doc-01', 'doc-07', 'doc-03', 'doc-02', 'doc-06', 'doc-04'];
    for (const id of ids) await docs.write(tenantA, documentWrite(id, [`list chunk ${id}`], { namespace: ns }));
    await docs.write(tenantA, documentWrite('doc-00', ['other namespace'], { namespace: `${ns}-other` }));
    await docs.write(tenantB, documentWrite('doc-015', ['other tenant'], { namespace: ns }));
    await docs.softDelete(tenantA, ns, 'doc-04');

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const rows = await docs.list(tenantA, ns, 2, after);
      pages++;
      expect(rows.length).toBeLessThanOrEqual(3);
      const page = rows.slice(0, 2);
      seen.push(...page.map((r) => r.docId));
      if (rows.length <= 2) break;
      // The extra row is the first of the next page.
      expect(rows[2]!.docId > rows[1]!.docId).toBe(true);
      after = page[page.length - 1]!.docId;
    }
    expect(seen).toEqual(['doc-01', 'doc-02', 'doc-03', 'doc-05', 'doc-06', 'doc-07']);
    expect(pages).toBe(3);

    const first = await docs.list(tenantA, ns, 100, null);
    expect(first.map((r) => r.docId)).toEqual(seen);
    expect(first[0]).toMatchObject({ namespace: ns, status: 'active', chunkCount: 1, version: 1, embeddingVersion: VERSION });
    await expect(docs.list(tenantA, ns, 10, 'doc-07')).resolves.toEqual([]);
    expect((await docs.list(tenantA, ns, 1, 'doc-02')).map((r) => r.docId)).toEqual(['doc-03', 'doc-05']);
  });

  it('serialises 20 concurrent writes of the same new document: one row, one created, no duplicate chunks', async () => {
    const ns = `race-${randomUUID()}`;
    const w = documentWrite('hot.md', [`race one ${ns}`, `race two ${ns}`, `race three ${ns}`], { namespace: ns, metadata: { k: 1 } });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => docs.write(tenantA, w)));

    expect(outcomes.filter((o) => o.status === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'unchanged')).toHaveLength(19);
    expect(outcomes.every((o) => o.chunkCount === 3 && o.version === 1)).toBe(true);

    const documents: Array<{ id: string }> = await ds.query(
      `SELECT id FROM documents WHERE tenant_id = $1 AND namespace = $2 AND doc_id = $3`,
      [tenantA, ns, 'hot.md'],
    );
    expect(documents).toHaveLength(1);
    const chunkCount: Array<{ n: number; distinct_ordinals: number }> = await ds.query(
      `SELECT count(*)::int AS n, count(DISTINCT ordinal)::int AS distinct_ordinals FROM chunks WHERE document_id = $1`,
      [documents[0]!.id],
    );
    expect(chunkCount[0]).toEqual({ n: 3, distinct_ordinals: 3 });
    const cacheRows: Array<{ n: number }> = await ds.query(
      `SELECT count(*)::int AS n FROM embedding_cache WHERE embedding_version = $1 AND chunk_hash = ANY($2::text[])`,
      [VERSION, w.chunks.map((c) => c.hash)],
    );
    expect(cacheRows[0]!.n).toBe(3);
  });

  it('serialises concurrent different updates of one document: each applies once, in some order, consistently', async () => {
    const ns = `race2-${randomUUID()}`;
    await docs.write(tenantA, documentWrite('doc', ['initial text'], { namespace: ns }));
    const variants = Array.from({ length: 8 }, (_, i) =>
      documentWrite(
        'doc',
        Array.from({ length: i + 1 }, (_, j) => `variant ${i} part ${j}`),
        { namespace: ns },
      ),
    );
    const outcomes = await Promise.all(variants.map((w) => docs.write(tenantA, w)));

    expect(outcomes.every((o) => o.status === 'updated')).toBe(true);
    expect(outcomes.map((o) => o.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    // The last writer (version 9) determines the stored document, and its chunks are all there is.
    const last = variants[outcomes.findIndex((o) => o.version === 9)]!;
    await expect(docs.findState(tenantA, ns, 'doc')).resolves.toMatchObject({
      docHash: last.docHash,
      chunkCount: last.chunks.length,
      version: 9,
    });
    expect((await chunkRows(tenantA, ns, 'doc')).map((c) => c.text)).toEqual(last.chunks.map((c) => c.text));
  });

  describe('writeGroup', () => {
    it('writes a group in one transaction, each document as if alone: created, replaced, metadata-only, unchanged, revived, erased', async () => {
      const ns = `group-${randomUUID()}`;
      const accepted = new Date(Date.now() - 60_000);
      await docs.write(tenantA, documentWrite('replaced', ['old text of replaced'], { namespace: ns }));
      await docs.write(tenantA, documentWrite('meta', ['meta text'], { namespace: ns, metadata: { v: 1 } }));
      await docs.write(tenantA, documentWrite('same', ['same text'], { namespace: ns }));
      await docs.write(tenantA, documentWrite('revived', ['revived text'], { namespace: ns }));
      await docs.softDelete(tenantA, ns, 'revived');
      const [erasure] = (await ds.query(
        `INSERT INTO erasure_requests (tenant_id, scope, namespace, doc_id, dry_run, requested_by) VALUES ($1, 'document', $2, 'erased', false, 'test') RETURNING id`,
        [tenantA, ns],
      )) as Array<{ id: string }>;
      await ds.query(`INSERT INTO erasure_tombstones (tenant_id, erasure_id, namespace, doc_id) VALUES ($1, $2, $3, 'erased')`, [
        tenantA,
        erasure?.id,
        ns,
      ]);

      const group = [
        documentWrite('new', ['brand new one', 'brand new two'], { namespace: ns }),
        documentWrite('replaced', ['new text of replaced', 'and a second chunk'], { namespace: ns }),
        documentWrite('meta', ['meta text'], { namespace: ns, metadata: { v: 2 }, embed: 'none' }),
        documentWrite('same', ['same text'], { namespace: ns, embed: 'none' }),
        documentWrite('revived', ['revived text'], { namespace: ns, embed: 'none' }),
        documentWrite('erased', ['erased text'], { namespace: ns }),
      ].map((w) => ({ ...w, acceptedAt: accepted }));
      const seen: unknown[] = [];
      const results = await docs.writeGroup(tenantA, group, async (_tx, r) => {
        seen.push(...r);
      });

      expect(results.slice(0, 5)).toEqual([
        { status: 'created', chunkCount: 2, version: 1 },
        { status: 'updated', chunkCount: 2, version: 2 },
        { status: 'updated', chunkCount: 1, version: 2 },
        { status: 'unchanged', chunkCount: 1, version: 1 },
        { status: 'created', chunkCount: 1, version: 3 },
      ]);
      expect(results[5]).toMatchObject({ erased: { code: 'document_erased' } });
      expect(seen).toEqual(results);
      expect((await chunkRows(tenantA, ns, 'new')).map((c) => c.text)).toEqual(['brand new one', 'brand new two']);
      expect((await chunkRows(tenantA, ns, 'replaced')).map((c) => c.text)).toEqual(['new text of replaced', 'and a second chunk']);
      expect((await chunkRows(tenantA, ns, 'meta')).map((c) => c.metadata)).toEqual([{ v: 2 }]);
      expect((await chunkRows(tenantA, ns, 'revived')).map((c) => c.deleted_at)).toEqual([null]);
      await expect(docs.findState(tenantA, ns, 'erased')).resolves.toBeNull();
    });

    it('stores nothing of the group when the hook fails (the items it settles and the documents commit together)', async () => {
      const ns = `group-${randomUUID()}`;
      const group = [documentWrite('a', ['group a text'], { namespace: ns }), documentWrite('b', ['group b text'], { namespace: ns })];
      await expect(docs.writeGroup(tenantA, group, async () => Promise.reject(new Error('lease lost')))).rejects.toThrow('lease lost');
      await expect(docs.findStates(tenantA, ns, ['a', 'b'])).resolves.toEqual(new Map());
    });

    it('refuses a group that holds a document twice', async () => {
      const w = documentWrite('twice', ['twice'], { namespace: `group-${randomUUID()}` });
      await expect(docs.writeGroup(tenantA, [w, w])).rejects.toThrow('at most once');
    });

    it('inserts new cache entries in hash order, so a writer holding one of them cannot close a lock cycle', async () => {
      const ns = `group-${randomUUID()}`;
      // Two texts whose hashes sort opposite to the documents' order: a group writes doc "a" (text y) before doc "b" (text x).
      let [x, y] = [`cache order x ${randomUUID()}`, `cache order y ${randomUUID()}`];
      if (sha(x) > sha(y)) [x, y] = [y, x];
      const group = [documentWrite('a', [y], { namespace: ns }), documentWrite('b', [x], { namespace: ns })];
      const other = ds.createQueryRunner();
      await other.startTransaction();
      try {
        const insert = (text: string) =>
          other.query(`INSERT INTO embedding_cache (chunk_hash, embedding_version, embedding) VALUES ($1, $2, $3::vector)`, [
            sha(text),
            VERSION,
            toVectorLiteral(vectorFor(text)),
          ]);
        await insert(x);
        const write = docs.writeGroup(tenantA, group);
        await new Promise((resolve) => setTimeout(resolve, 300));
        // In hash order the group waits on x before taking y, so this does not wait on the group.
        await insert(y);
        await other.commitTransaction();
        await expect(write).resolves.toEqual([
          expect.objectContaining({ status: 'created' }),
          expect.objectContaining({ status: 'created' }),
        ]);
      } finally {
        if (other.isTransactionActive) await other.rollbackTransaction();
        await other.release();
      }
    });

    it('lets concurrent groups over the same documents serialise without deadlock or duplicates', async () => {
      const ns = `group-${randomUUID()}`;
      const ids = Array.from({ length: 12 }, (_, i) => `doc-${i}`);
      const forward = ids.map((id) => documentWrite(id, [`${id} text`], { namespace: ns }));
      const backward = [...forward].reverse();
      const outcomes = await Promise.all([docs.writeGroup(tenantA, forward), docs.writeGroup(tenantA, backward)]);
      const statuses = outcomes.flat().map((r) => ('status' in r ? r.status : 'erased'));
      expect(statuses.filter((s) => s === 'created')).toHaveLength(12);
      expect(statuses.filter((s) => s === 'unchanged')).toHaveLength(12);
      const [count] = (await ds.query(`SELECT count(*)::int AS n FROM chunks WHERE tenant_id = $1 AND namespace = $2`, [
        tenantA,
        ns,
      ])) as Array<{ n: number }>;
      expect(count?.n).toBe(12);
    });
  });
});
