/**
 * Debian's package descriptions (Translation-en), fetched with apt from the mirror in the machine's own
 * apt sources into a private lists folder: the machine's /var/lib/apt/lists is never touched, and no
 * mirror host is written here. The one-line synopsis is a natural query, the long description the
 * document it should find.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export interface DebianPackage {
  name: string;
  synopsis: string;
  /** The long description, paragraphs separated by blank lines. */
  description: string;
}

export interface DebianProvenance {
  /** Translation-en files, as apt named them (mirror host included: that is the machine's own setting). */
  files: string[];
  /** `Date:` of each suite's InRelease, so a run can tell which snapshot of the archive it used. */
  release_dates: string[];
  packages: number;
}

const APT_HELPER = '/usr/lib/apt/apt-helper';

/** Fetches Translation-en once into `<dataDir>/debian` (kept as the bench's cache) and parses it. */
export function loadDebianPackages(dataDir: string): { packages: DebianPackage[]; provenance: DebianProvenance } {
  const dir = join(dataDir, 'debian');
  const textFile = join(dir, 'Translation-en.txt');
  const provenanceFile = join(dir, 'provenance.json');
  if (!existsSync(textFile) || !existsSync(provenanceFile)) fetchTranslations(dir, textFile, provenanceFile);
  const packages = parseTranslations(readFileSync(textFile, 'utf8'));
  const provenance = {
    ...(JSON.parse(readFileSync(provenanceFile, 'utf8')) as Omit<DebianProvenance, 'packages'>),
    packages: packages.length,
  };
  return { packages, provenance };
}

function fetchTranslations(dir: string, textFile: string, provenanceFile: string): void {
  const lists = join(dir, 'apt-lists');
  const cache = join(dir, 'apt-cache');
  mkdirSync(join(lists, 'partial'), { recursive: true });
  mkdirSync(cache, { recursive: true });
  const user = userInfo();
  const args = [
    '-q',
    '-o',
    'Acquire::Languages=en',
    '-o',
    `Dir::State::Lists=${lists}`,
    '-o',
    `Dir::Cache=${cache}`,
    '-o',
    'APT::Get::List-Cleanup=false',
    // The lists folder is private, so apt's system-wide lock is not needed (and needs root).
    '-o',
    'Debug::NoLocking=1',
    ...(user.uid === 0 ? [] : ['-o', `APT::Sandbox::User=${user.username}`]),
    'update',
  ];
  try {
    execFileSync('apt-get', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`could not fetch Debian's Translation-en with apt-get (the labelled set needs it): ${stderr.trim() || String(error)}`, {
      cause: error,
    });
  }
  const names = readdirSync(lists).sort();
  const files = names.filter((name) => /_i18n_Translation-en(\.[a-z0-9]+)?$/.test(name));
  if (files.length === 0)
    throw new Error(`apt-get update fetched no Translation-en into ${lists}: do the machine's apt sources have a Debian mirror?`);
  const text = files
    .map((name) => execFileSync(APT_HELPER, ['cat-file', join(lists, name)], { maxBuffer: 1 << 30 }).toString('utf8'))
    .join('\n\n');
  const releaseDates = names
    .filter((name) => name.endsWith('_InRelease'))
    .map((name) => `${name}: ${/^Date: (.*)$/m.exec(readFileSync(join(lists, name), 'utf8'))?.[1] ?? '?'}`);
  writeFileSync(`${provenanceFile}.tmp`, JSON.stringify({ files, release_dates: releaseDates }, null, 2));
  writeFileSync(`${textFile}.tmp`, text);
  renameSync(`${textFile}.tmp`, textFile);
  renameSync(`${provenanceFile}.tmp`, provenanceFile);
}

/** Parses deb822 stanzas with `Package` and `Description-en`; the first stanza of a package wins. */
export function parseTranslations(text: string): DebianPackage[] {
  const seen = new Set<string>();
  const out: DebianPackage[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const name = /^Package: *(\S+)/m.exec(stanza)?.[1];
    const match = /^Description-en: *(.*)\n((?: .*(?:\n|$))*)/m.exec(stanza);
    if (!name || !match || seen.has(name)) continue;
    seen.add(name);
    const description = (match[2] ?? '')
      .split('\n')
      .map((line) => (line === ' .' ? '' : line.replace(/^ /, '')))
      .join('\n')
      .trim();
    out.push({ name, synopsis: (match[1] ?? '').trim(), description });
  }
  return out;
}
