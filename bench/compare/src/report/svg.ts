/** A hand-written SVG chart: time to searchable, and search latency (p50 / p95 / p99) per system and mode. */
import { CompareResults, isOk } from './results';

interface Bar {
  label: string;
  /** One value per series; null draws nothing. */
  values: (number | null)[];
}

const WIDTH = 760;
const LABEL_W = 210;
const BAR_H = 14;
const COLORS = ['#4c78a8', '#f58518', '#e45756'];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panel(title: string, unit: string, series: readonly string[], bars: readonly Bar[], top: number): { svg: string; height: number } {
  const max = Math.max(1e-9, ...bars.flatMap((b) => b.values.filter((v): v is number => v !== null)));
  const plotW = WIDTH - LABEL_W - 90;
  const parts: string[] = [`<text x="10" y="${top + 16}" font-weight="bold">${esc(title)}</text>`];
  series.forEach((s, i) => {
    const x = LABEL_W + i * 120;
    parts.push(
      `<rect x="${x}" y="${top + 6}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/>`,
      `<text x="${x + 14}" y="${top + 15}" font-size="11">${esc(s)}</text>`,
    );
  });
  let y = top + 30;
  for (const bar of bars) {
    const groupH = bar.values.length * (BAR_H + 2);
    parts.push(`<text x="${LABEL_W - 8}" y="${y + groupH / 2 + 4}" text-anchor="end" font-size="12">${esc(bar.label)}</text>`);
    bar.values.forEach((v, i) => {
      const yy = y + i * (BAR_H + 2);
      if (v === null) {
        parts.push(`<text x="${LABEL_W + 4}" y="${yy + BAR_H - 3}" font-size="10" fill="#888">n/a</text>`);
        return;
      }
      const w = Math.max(1, (v / max) * plotW);
      parts.push(
        `<rect x="${LABEL_W}" y="${yy}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${COLORS[i % COLORS.length]}"/>`,
        `<text x="${(LABEL_W + w + 4).toFixed(1)}" y="${yy + BAR_H - 3}" font-size="10">${v.toFixed(1)} ${unit}</text>`,
      );
    });
    y += groupH + 10;
  }
  return { svg: parts.join('\n'), height: y - top + 10 };
}

export function renderSvg(r: CompareResults): string {
  const peer = isOk(r.peer) ? r.peer : null;
  const df = isOk(r.datafactory) ? r.datafactory : null;
  const tts = panel(
    'Time to searchable (s, lower is better)',
    's',
    ['ingest', 'index build'],
    [
      { label: 'LangChain.js + pgvector', values: [peer?.ingest_s ?? null, peer?.index_build_s ?? null] },
      { label: 'DataFactory (batch API)', values: [df?.ingest.time_to_searchable_s ?? null, df ? 0 : null] },
    ],
    40,
  );
  const lat = (l: { ms: { p50: number; p95: number; p99: number } | null } | undefined): (number | null)[] => [
    l?.ms?.p50 ?? null,
    l?.ms?.p95 ?? null,
    l?.ms?.p99 ?? null,
  ];
  const latency = panel(
    'Search latency (ms, lower is better)',
    'ms',
    ['p50', 'p95', 'p99'],
    [
      { label: 'LangChain.js similaritySearch', values: lat(peer?.latency) },
      { label: 'DataFactory hybrid (gateway)', values: lat(df?.latency.hybrid) },
      { label: 'DataFactory vector (gateway)', values: lat(df?.latency.vector) },
      { label: 'DataFactory keyword (gateway)', values: lat(df?.latency.keyword) },
    ],
    40 + tts.height,
  );
  const height = 40 + tts.height + latency.height;
  const subtitle = `${r.started_at} · ${r.corpus.documents} documents · ${r.machine.cpus} CPUs${r.options.smoke ? ' · smoke run' : ''}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">bench:compare, LangChain.js PGVectorStore vs DataFactory</text>`,
    `<text x="10" y="34" font-size="11" fill="#555">${esc(subtitle)}</text>`,
    tts.svg,
    latency.svg,
    '</svg>',
    '',
  ].join('\n');
}
