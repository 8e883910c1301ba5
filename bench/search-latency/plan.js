const { searchSql, toVectorLiteral } = require(require('node:path').join(__dirname, '../../dist/libs') + '/db/src/index.js');
const { HashEmbeddingProvider } = require(require('node:path').join(__dirname, '../../dist/libs') + '/embedding/src/index.js');
const { Client } = require('pg');
const seed = JSON.parse(
  require('fs')
    .readFileSync(process.env.SEED_OUT ?? 'seed.out', 'utf8')
    .trim()
    .split('\n')
    .pop(),
);
(async () => {
  const c = new Client({
    connectionString: seed.url,
    options: '-c hnsw.ef_search=100 -c hnsw.iterative_scan=strict_order -c hnsw.max_scan_tuples=20000',
  });
  await c.connect();
  const emb = new HashEmbeddingProvider(384);
  const mode = process.argv[2] || 'hybrid';
  const filter = process.argv[3] ? JSON.parse(process.argv[3]) : undefined;
  const text = process.argv[4] || 'library for parsing XML documents';
  const { sql, params } = searchSql(seed.tenants[0], {
    scope: { namespace: 'docs', ...(filter ? { filter } : {}) },
    mode,
    vector: { embeddingVersion: emb.version, dimensions: 384, vector: toVectorLiteral(emb.embedOne(text)) },
    text,
    candidates: mode === 'hybrid' ? 100 : 10,
    topK: 10,
    tuning: { efSearch: 100, maxScanTuples: 20000 },
  });
  const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
  console.log(rows.map((r) => r['QUERY PLAN'].replace(/'\[[^\]]*\]'/g, "'[…]'")).join('\n'));
  const st = await c.query(`select count(*) from pg_stats where tablename='chunks'`);
  console.log('pg_stats rows for chunks:', st.rows[0].count);
  await c.end();
})();
