const M = '/work/main';
const { loadDebianPackages } = require(`${M}/bench/compare/dist/bench/compare/src/corpus/debian-descriptions.js`);
const { buildCorpus } = require(`${M}/bench/compare/dist/bench/compare/src/corpus/corpus.js`);
const { HashEmbeddingProvider } = require(`${M}/dist/libs/embedding/src/index.js`);
const fs = require('fs');
const c = buildCorpus({ repoRoot: M, dataDir: `${M}/bench/data`, longDocs: 3000, debianDocs: 1000, labelled: 400 });
const pool = new Set(c.queryPool.slice(400, 700));
const { packages } = loadDebianPackages(`${M}/bench/data`);
const emb = new HashEmbeddingProvider(384);
const sel = packages.filter((p) => pool.has(p.synopsis)).slice(0, 300);
fs.writeFileSync(
  '/tmp/recall/queries-long.json',
  JSON.stringify(sel.map((p) => ({ q: p.description.slice(0, 2000), v: emb.embedOne(p.description) }))),
);
fs.writeFileSync('/tmp/recall/queries-short.json', JSON.stringify(sel.map((p) => ({ q: p.synopsis, v: emb.embedOne(p.synopsis) }))));
console.log(sel.length, 'mean words long', sel.reduce((s, p) => s + p.description.split(/\s+/).length, 0) / sel.length);
