const { Client } = require('/work/main/node_modules/pg');
const fs = require('fs');
(async () => {
  const c = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/recall_scratch' });
  await c.connect();
  await c.query('SET enable_indexscan = off; SET enable_bitmapscan = off');
  const qs = JSON.parse(fs.readFileSync(process.env.QF ?? 'queries.json'));
  const truth = [];
  for (const { v } of qs) {
    const { rows } = await c.query(`SELECT id, embedding <=> $1 AS d FROM t ORDER BY d, id LIMIT 50`, [`[${v.join(',')}]`]);
    truth.push(rows.map((r) => [r.id, Number(r.d)]));
  }
  fs.writeFileSync(process.env.TF ?? 'truth.json', JSON.stringify(truth));
  // distance structure
  const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(p * (s.length - 1))];
  };
  const d1 = truth.map((t) => t[0][1]),
    d10 = truth.map((t) => t[9][1]),
    gap = truth.map((t) => t[10][1] - t[9][1]),
    d50 = truth.map((t) => t[49][1]);
  const ties = truth.filter((t) => Math.abs(t[10][1] - t[9][1]) < 1e-6).length;
  console.log(
    'd1 p50',
    pct(d1, 0.5),
    'd10 p50',
    pct(d10, 0.5),
    'd50 p50',
    pct(d50, 0.5),
    'gap10-11 p50',
    pct(gap, 0.5),
    'exact ties at 10th',
    ties,
    '/',
    truth.length,
  );
  const spread = truth.map((t) => t[9][1] - t[0][1]);
  console.log(
    'd10-d1 p50',
    pct(spread, 0.5),
    'd50-d10 p50',
    pct(
      truth.map((t) => t[49][1] - t[9][1]),
      0.5,
    ),
  );
  await c.end();
})();
