// Generates /tmp/recall/chunks.tsv (id \t vector) and queries.json from the bench/compare corpus.
const M = '/work/main';
const { buildCorpus } = require(`${M}/bench/compare/dist/bench/compare/src/corpus/corpus.js`);
const { chunkText } = require(`${M}/dist/libs/chunking/src/index.js`);
const { HashEmbeddingProvider } = require(`${M}/dist/libs/embedding/src/index.js`);
const fs = require('fs');
const LONG = Number(process.env.LONG ?? 3000),
  DEB = Number(process.env.DEB ?? 1000);
const c = buildCorpus({ repoRoot: M, dataDir: `${M}/bench/data`, longDocs: LONG, debianDocs: DEB, labelled: 400 });
const emb = new HashEmbeddingProvider(384);
const out = fs.createWriteStream('/tmp/recall/chunks.tsv');
let n = 0;
for (const d of c.docs) {
  for (const ch of chunkText(d.text)) {
    const v = emb.embedOne(ch.text);
    out.write(`${n++}\t[${v.map((x) => x.toPrecision(7)).join(',')}]\n`);
  }
}
out.end();
const qs = [...c.labelled.map((q) => q.query), ...c.queryPool.slice(0, 200)];
fs.writeFileSync('/tmp/recall/queries.json', JSON.stringify(qs.map((q) => ({ q, v: emb.embedOne(q) }))));
console.log('chunks', n, 'queries', qs.length, 'docs', c.docs.length);
