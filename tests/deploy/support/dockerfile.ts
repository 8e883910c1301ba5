/**
 * A small reader for the Dockerfile and `.dockerignore` shapes this repository uses, enough for the deploy tests to
 * check structure without Docker: instructions (continuations joined, comments dropped), stages, global ARGs, and
 * which build-context paths the ignore file lets through.
 */

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string | undefined;
  /** The image or stage name after FROM, with global ARG defaults substituted. */
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    // Comments (and parser directives) are whole lines, also inside a continued instruction.
    if (/^\s*#/.test(line)) return;
    if (!pending && line.trim() === '') return;
    const continued = /\\\s*$/.test(line);
    const content = continued ? line.replace(/\\\s*$/, '') : line;
    pending ??= { parts: [], line: index + 1 };
    pending.parts.push(content.trim());
    if (!continued) {
      const joined = pending.parts.filter(Boolean).join(' ');
      const match = /^(\S+)\s*(.*)$/.exec(joined);
      if (match) instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!, line: pending.line });
      pending = undefined;
    }
  });

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : undefined, from: substitute(image, globalArgs), instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword === 'ARG') Object.assign(globalArgs, parseAssignments(instruction.args));
    } else {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => vars[(braced ?? bare)!] ?? '');
}

/** `A=1 B="two"` (and the legacy `A 1` for a single ENV) into a record; a bare ARG name maps to ''. */
export function parseAssignments(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  const tokens = args.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  if (tokens.length === 2 && !tokens[0]!.includes('=')) return { [tokens[0]!]: unquote(tokens[1]!) };
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq < 0) out[token] = '';
    else out[token.slice(0, eq)] = unquote(token.slice(eq + 1));
  }
  return out;
}

const unquote = (value: string): string => value.replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1');

export function stageInstructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

export interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
  flags: Record<string, string>;
}

export function parseCopy(instruction: Instruction): Copy {
  const tokens = instruction.args.split(/\s+/).filter(Boolean);
  const flags: Record<string, string> = {};
  while (tokens[0]?.startsWith('--')) {
    const [key, value = ''] = tokens.shift()!.slice(2).split('=');
    flags[key!] = value;
  }
  const dest = tokens.pop() ?? '';
  return { from: flags['from'], sources: tokens, dest, flags };
}

/**
 * Whether `.dockerignore` keeps `path` (relative to the context, `/`-separated) out of the build context. Docker's
 * rules: patterns in order, the last one that matches the path or one of its parent directories wins, `!`
 * re-includes, `**` spans any number of directories.
 */
export function dockerignoreExcludes(ignoreText: string, path: string): boolean {
  const patterns = ignoreText
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const body = (negated ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negated, regex: globToRegex(body) };
    });
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const { negated, regex } of patterns) {
    if (candidates.some((c) => regex.test(c))) excluded = !negated;
  }
  return excluded;
}

function globToRegex(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      out += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
