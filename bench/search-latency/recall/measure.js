// node measure.js table=t ef=100 order=strict_order k=10 cand=10 cast=plain n=600
const { Client } = require('/work/main/node_modules/pg');
const fs = require('fs');
const { performance } = require('perf_hooks');
const a = Object.fromEntries(process.argv.slice(2).map((x) => x.split('=')));
const table = a.table ?? 't',
  ef = a.ef ?? '100',
  order = a.order ?? 'strict_order',
  cand = Number(a.cand ?? 10),
  n = Number(a.n ?? 600);
const qs = JSON.parse(fs.readFileSync(a.qf ?? '/tmp/recall/queries.json')).slice(0, n);
const truth = JSON.parse(fs.readFileSync(a.tf ?? '/tmp/recall/truth.json'));
const pct = (xs, p) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(p * (s.length - 1))];
};
(async () => {
  const c = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/recall_scratch' });
  await c.connect();
  await c.query(`SET hnsw.ef_search = ${ef}; SET hnsw.iterative_scan = ${order}; SET hnsw.max_scan_tuples = 20000`);
  const col = a.col ?? 'embedding',
    qt = a.qt ?? 'vector';
  const where = a.where ? `WHERE ${a.where}` : '';
  const sql = a.rerank
    ? `SELECT id FROM (SELECT id, embedding FROM ${table} ${where} ORDER BY ${col} <=> $1::${qt} LIMIT ${cand}) s ORDER BY embedding <=> $1::vector LIMIT 10`
    : `SELECT id FROM ${table} ${where} ORDER BY ${col} <=> $1::${qt} LIMIT ${cand}`;
  // warm
  for (let i = 0; i < 20; i++) await c.query(sql, [`[${qs[i].v.join(',')}]`]);
  const times = [];
  let hit = 0,
    tieHit = 0,
    tot = 0;
  for (let i = 0; i < qs.length; i++) {
    const t0 = performance.now();
    const { rows } = await c.query(sql, [`[${qs[i].v.join(',')}]`]);
    times.push(performance.now() - t0);
    const got = rows.slice(0, 10).map((r) => r.id);
    const tr = truth[i];
    const top = new Set(tr.slice(0, 10).map((x) => x[0]));
    const d10 = tr[9][1];
    const within = new Set(tr.filter((x) => x[1] <= d10 + 1e-6).map((x) => x[0]));
    for (const id of got) {
      if (top.has(id)) hit++;
      if (within.has(id)) tieHit++;
    }
    tot += 10;
  }
  if (a.explain)
    console.log((await c.query(`EXPLAIN ANALYZE ${sql}`, [`[${qs[0].v.join(',')}]`])).rows.map((r) => r['QUERY PLAN']).join('\n'));
  console.log(
    JSON.stringify({
      table,
      ef,
      order,
      cand,
      rerank: !!a.rerank,
      recall: +(hit / tot).toFixed(3),
      tieRecall: +(tieHit / tot).toFixed(3),
      p50: +pct(times, 0.5).toFixed(2),
      p95: +pct(times, 0.95).toFixed(2),
    }),
  );
  await c.end();
})();
