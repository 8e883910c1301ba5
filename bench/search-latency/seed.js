// Seeds a fresh migrated database for measure.js: 3 tenants, 5 namespaces, 50k chunks of Debian package
// descriptions (384-dim hash embeddings), chunks never analysed; the HNSW index exists before the rows, as
// after a service start. node bench/search-latency/seed.js > seed.out
const { execSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { Client } = require('pg');
const R = require('node:path').join(__dirname, '../../dist/libs') + '';
function createTestDatabase(prefix) {
  const url = `postgres://postgres@127.0.0.1:5432/${prefix}_${Date.now().toString(36)}`;
  execSync(`node ${require('node:path').join(__dirname, '../../dist/libs/db/src/cli/migrate.js')}`, {
    env: { ...process.env, ENV_FILE: 'none', DATABASE_URL: url },
    stdio: 'inherit',
  });
  return url;
}
const { HashEmbeddingProvider } = require(`${R}/embedding/src/index.js`);
const { toVectorLiteral, VectorIndexRepository, createDataSource } = require(`${R}/db/src/index.js`);

function packages() {
  const raw = execSync(
    '/usr/lib/apt/apt-helper cat-file /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4',
    { maxBuffer: 1 << 30 },
  ).toString();
  const out = [];
  for (const st of raw.split('\n\n')) {
    const get = (k) => {
      const m = new RegExp(`^${k}: (.*(?:\\n .*)*)`, 'm').exec(st);
      return m ? m[1].replace(/\n /g, ' ') : '';
    };
    const name = get('Package');
    if (!name) continue;
    out.push({ name, desc: get('Description'), section: get('Section'), tags: get('Tag'), deps: get('Depends').replace(/\([^)]*\)/g, '') });
  }
  return out;
}
const sha = (s) => createHash('sha256').update(s).digest('hex');

(async () => {
  const pk = packages();
  console.error('packages', pk.length);
  const url = process.env.URL || (await createTestDatabase('perf_search'));
  console.log(url);
  const emb = new HashEmbeddingProvider(384);
  const ds = createDataSource({ url, poolSize: 2, statementTimeoutMs: 0, applicationName: 'seed' });
  await ds.initialize();
  await new VectorIndexRepository(ds).ensure(emb.version, 384); // as at service start: empty table
  await ds.destroy();
  const c = new Client({ connectionString: url });
  await c.connect();
  const tenants = [];
  for (const n of ['A', 'B', 'C']) tenants.push((await c.query(`INSERT INTO tenants (name) VALUES ($1) RETURNING id`, [n])).rows[0].id);
  // [tenant, namespace, chunks, offset into the package list]
  const plan = [
    [0, 'docs', 18000, 0],
    [0, 'notes', 4000, 20000],
    [1, 'docs', 12000, 30000],
    [2, 'docs', 12000, 45000],
    [2, 'other', 4000, 8000],
  ];
  const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  for (const [t, ns, n, off] of plan) {
    let ci = 0;
    for (let d = 0; ci < n; d++) {
      const chunks = [];
      for (let k = 0; k < 5 && ci < n; k++, ci++) {
        const parts = [0, 1, 2].map((j) => pk[(off + ci * 3 + j) % pk.length]);
        const text = parts.map((p) => `${p.name}: ${p.desc}. Section ${p.section}. ${p.tags} Depends on ${p.deps}.`).join('\n');
        chunks.push(text);
      }
      const meta = { category: cats[d % 5], ...(d % 20 === 0 ? { rare: true } : {}) }; // rare: 1 % of chunks (every 20th doc of 5 chunks... = 5% of docs?)
      const text = chunks.join('\n\n');
      const docId = `doc-${d}`;
      const { rows } = await c.query(
        `INSERT INTO documents (tenant_id, namespace, doc_id, text, metadata, doc_hash, meta_hash, embedding_version, chunk_count, token_count)
        VALUES ($1,$2,$3,$4,$5::jsonb,$6,$7,$8,$9,$10) RETURNING id`,
        [
          tenants[t],
          ns,
          docId,
          text,
          JSON.stringify(meta),
          sha(text),
          sha(JSON.stringify(meta)),
          emb.version,
          chunks.length,
          chunks.length * 100,
        ],
      );
      const vecs = chunks.map((x) => toVectorLiteral(emb.embedOne(x)));
      await c.query(
        `INSERT INTO chunks (document_id, tenant_id, namespace, doc_id, ordinal, text, chunk_hash, token_count, metadata, embedding, embedding_version)
        SELECT $1, $2, $3, $4, o - 1, t, h, 100, $5::jsonb, e::vector, $6 FROM unnest($7::text[], $8::text[], $9::text[]) WITH ORDINALITY AS u(t, h, e, o)`,
        [rows[0].id, tenants[t], ns, docId, JSON.stringify(meta), emb.version, chunks, chunks.map(sha), vecs],
      );
    }
    console.error('seeded', t, ns, n);
  }
  // 1 % of tenant A's "docs" chunks keep {rare: true}.
  await c.query(`UPDATE chunks SET metadata = metadata - 'rare' WHERE metadata ? 'rare' AND (substring(doc_id from 5)::int % 100) <> 0`);
  // LangChain.js PGVectorStore's shape for the same namespace: a table of its own, HNSW, analysed.
  await c.query(
    `CREATE TABLE lc AS SELECT id, text AS content, metadata, embedding::vector(384) AS embedding FROM chunks WHERE tenant_id = $1 AND namespace = 'docs'`.replace(
      '$1',
      `'${tenants[0]}'`,
    ),
  );
  await c.query(`CREATE INDEX ON lc USING hnsw (embedding vector_cosine_ops)`);
  await c.query(`ANALYZE lc`);
  console.log(JSON.stringify({ url, tenants }));
  await c.end();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
