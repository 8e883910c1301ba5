// Search latency at the repository level, in-process as the search service runs it (see README.md).
// node bench/search-latency/measure.js [--n=200] [--impl=old,new,lc] [--modes=hybrid,vector,keyword] [--ef=100]
//   [--order=relaxed_order] [--filter=no] [--recall=no] [--tp=no]
const { execSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const R = require('node:path').join(__dirname, '../../dist/libs') + '';
const { HashEmbeddingProvider } = require(`${R}/embedding/src/index.js`);
const { toVectorLiteral, createDataSource } = require(`${R}/db/src/index.js`);
const { Pool } = require('pg');
const seed = JSON.parse(
  require('fs')
    .readFileSync(process.env.SEED_OUT ?? 'seed.out', 'utf8')
    .trim()
    .split('\n')
    .pop(),
);
const TENANT = seed.tenants[0];
const emb = new HashEmbeddingProvider(384);
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const N = Number(args.n ?? 200);
const impls = (args.impl ?? 'old,new').split(',');

function queries(n, seedOff) {
  const raw = execSync(
    '/usr/lib/apt/apt-helper cat-file /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4',
    { maxBuffer: 1 << 30 },
  ).toString();
  const d = [...raw.matchAll(/^Description: (.*)$/gm)].map((m) => m[1]);
  const out = [];
  for (let i = 0; i < n; i++) out.push(d[(seedOff + i * 97) % 54000].replace(/[()"]/g, ''));
  return out;
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const fmt = (xs) => `p50 ${pct(xs, 0.5).toFixed(2)} p95 ${pct(xs, 0.95).toFixed(2)} p99 ${pct(xs, 0.99).toFixed(2)} ms`;

function rrf(mode, vector, keyword) {
  if (mode === 'vector') return vector.map((r) => ({ id: r.id, score: 1 - r.value }));
  if (mode === 'keyword') return keyword.map((r) => ({ id: r.id, score: r.value }));
  const f = new Map();
  const add = (l) => l.forEach((r, i) => f.set(r.id, (f.get(r.id) ?? 0) + 1 / (61 + i)));
  add(vector);
  add(keyword);
  return [...f].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

// The pre-one-statement repository (a copy of its compiled file, OLD_REPO=path), for before/after in one run.
async function makeOld(ds) {
  if (!process.env.OLD_REPO) return null;
  const { SearchRepository } = require(process.env.OLD_REPO);
  const repo = new SearchRepository(ds);
  return async (req) => {
    const scope = { namespace: 'docs', ...(req.filter ? { filter: req.filter } : {}) };
    const qv = req.mode === 'keyword' ? null : toVectorLiteral(emb.embedOne(req.query));
    const cand = req.mode === 'hybrid' ? Math.max(req.top_k, 100) : req.top_k;
    return repo.snapshot(TENANT, { efSearch: Math.min(1000, Math.max(100, cand)), maxScanTuples: 20000 }, async (r) => {
      const v = qv ? await r.nearest(scope, { embeddingVersion: emb.version, dimensions: 384, vector: qv }, cand) : [];
      const k = req.mode === 'vector' ? [] : await r.keyword(scope, req.query, cand);
      const top = rrf(req.mode, v, k).slice(0, req.top_k);
      const chunks = await r.chunks(top.map((x) => x.id));
      return top.filter((x) => chunks.has(x.id)).map((x) => ({ ...chunks.get(x.id), score: x.score }));
    });
  };
}

async function makeNew(ds) {
  const db = require(`${R}/db/src/index.js`);
  if (!db.SearchRepository.prototype.search) return null;
  const tuning = { efSearch: Number(args.ef ?? 100), maxScanTuples: 20000 };
  const sds = createDataSource({
    url: seed.url,
    poolSize: 10,
    statementTimeoutMs: 15000,
    applicationName: 'measure-new',
    sessionSettings: { ...db.SearchRepository.sessionSettings(tuning), ...(args.order ? { 'hnsw.iterative_scan': args.order } : {}) },
  });
  await sds.initialize();
  const repo = new db.SearchRepository(sds, tuning);
  return async (req) => {
    const qv = req.mode === 'keyword' ? null : toVectorLiteral(emb.embedOne(req.query));
    const cand = req.mode === 'hybrid' ? Math.max(req.top_k, 100) : req.top_k;
    const rows = await repo.search(TENANT, {
      scope: { namespace: 'docs', ...(req.filter ? { filter: req.filter } : {}) },
      vector: qv ? { embeddingVersion: emb.version, dimensions: 384, vector: qv } : null,
      candidates: cand,
      topK: req.top_k,
      mode: req.mode,
      text: req.query,
      tuning: { efSearch: Math.min(1000, Math.max(Number(args.ef ?? 100), cand)), maxScanTuples: 20000 },
    });
    return rows.hits;
  };
}

async function lcRef(pool) {
  return async (req) => {
    const qv = toVectorLiteral(emb.embedOne(req.query));
    const { rows } = await pool.query(`SELECT *, embedding <=> $1 AS _distance FROM lc ORDER BY _distance ASC LIMIT $2`, [qv, req.top_k]);
    return rows;
  };
}

async function timeRun(fn, reqs) {
  const t = [];
  for (const r of reqs) {
    const s = performance.now();
    await fn(r);
    t.push(performance.now() - s);
  }
  return t;
}
async function throughput(fn, reqs, clients) {
  let i = 0;
  const s = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (i < reqs.length) await fn(reqs[i++]);
    }),
  );
  return reqs.length / ((performance.now() - s) / 1000);
}

(async () => {
  const ds = createDataSource({ url: seed.url, poolSize: 10, statementTimeoutMs: 15000, applicationName: 'measure' });
  await ds.initialize();
  const pool = new Pool({ connectionString: seed.url, max: 10 });
  await pool.query(`SET hnsw.ef_search = 40`);
  const fns = {};
  if (impls.includes('old')) {
    const f = await makeOld(ds);
    if (f) fns.old = f;
  }
  if (impls.includes('new')) {
    const f = await makeNew(ds);
    if (f) fns.new = f;
  }
  if (impls.includes('lc')) fns.lc = await lcRef(pool);
  const qs = queries(N, Number(args.seed ?? 7));
  for (const [name, fn] of Object.entries(fns))
    await timeRun(
      fn,
      qs.slice(0, 20).map((query) => ({ query, mode: 'hybrid', top_k: 10 })),
    ); // warm
  for (const mode of (args.modes ?? 'hybrid,vector,keyword').split(',')) {
    const reqs = qs.map((query) => ({ query, mode, top_k: 10 }));
    for (const [name, fn] of Object.entries(fns)) {
      if (name === 'lc' && mode !== 'vector') continue;
      const t = await timeRun(fn, reqs);
      console.log(`${mode.padEnd(8)} ${name.padEnd(4)} ${fmt(t)}`);
    }
  }
  if (args.filter !== 'no')
    for (const [name, fn] of Object.entries(fns)) {
      if (name === 'lc') continue;
      const reqs = qs.slice(0, 50).map((query) => ({ query, mode: 'vector', top_k: 10, filter: { rare: true } }));
      const t = [];
      let short = 0;
      for (const r of reqs) {
        const s = performance.now();
        const res = await fn(r);
        t.push(performance.now() - s);
        if (res.length < 10) short++;
      }
      console.log(`filter1% ${name.padEnd(4)} ${fmt(t)} short=${short}`);
      const h = qs.slice(0, 50).map((query) => ({ query, mode: 'hybrid', top_k: 10, filter: { rare: true } }));
      console.log(`hyb-f1%  ${name.padEnd(4)} ${fmt(await timeRun(fn, h))}`);
    }
  if (args.recall !== 'no')
    for (const [name, fn] of Object.entries(fns)) {
      let hit = 0,
        tot = 0;
      for (const q of qs.slice(0, 100)) {
        const qv = toVectorLiteral(emb.embedOne(q));
        const { rows } = await pool.query(
          `SELECT id FROM chunks WHERE tenant_id = $1 AND namespace='docs' AND deleted_at IS NULL ORDER BY embedding <=> $2::vector, id LIMIT 10`,
          [TENANT, qv],
        );
        const got = new Set((await fn({ query: q, mode: 'vector', top_k: 10 })).map((x) => x.id));
        rows.forEach((r) => {
          tot++;
          if (got.has(r.id)) hit++;
        });
      }
      console.log(`recall@10 ${name} ${(hit / tot).toFixed(4)}`);
    }
  if (args.tp !== 'no')
    for (const [name, fn] of Object.entries(fns)) {
      const mode = name === 'lc' ? 'vector' : 'hybrid';
      const reqs = [...qs, ...qs].map((query) => ({ query, mode, top_k: 10 }));
      console.log(`tput16 ${name} ${mode} ${(await throughput(fn, reqs, 16)).toFixed(0)}/s`);
    }
  await ds.destroy();
  await pool.end();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
