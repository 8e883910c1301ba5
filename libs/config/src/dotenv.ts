import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';

/** Settings that `.env.example` leaves empty and that are generated, random, on first start. */
export const GENERATED_SECRETS = ['ADMIN_TOKEN', 'API_KEY_PEPPER', 'INTERNAL_TOKEN', 'GOVERNANCE_SIGNING_KEY'] as const;

export interface PrepareEnvironmentResult {
  envFile: string | null;
  created: boolean;
}

/**
 * Loads `.env` into `process.env` (never overriding variables already set). On the very first start,
 * when there is no `.env` but a `.env.example` beside it, creates `.env` from the example with freshly
 * generated secrets. `ENV_FILE` names another file; `ENV_FILE=none` turns `.env` handling off
 * (containers and tests configure through the environment only).
 */
export function prepareEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): PrepareEnvironmentResult {
  if (env['ENV_FILE'] === 'none') return { envFile: null, created: false };
  const envFile = resolve(cwd, env['ENV_FILE'] ?? '.env');
  const created = createFromExample(envFile);
  if (created) {
    log(`[datafactory] created ${envFile} from .env.example with new random ADMIN_TOKEN, API_KEY_PEPPER, INTERNAL_TOKEN and GOVERNANCE_SIGNING_KEY`);
    log(`[datafactory] the admin token is in ${envFile} (ADMIN_TOKEN); keep that file private`);
  }
  if (existsSync(envFile)) loadDotenv({ path: envFile, processEnv: env, quiet: true, override: false });
  return { envFile: existsSync(envFile) ? envFile : null, created };
}

function createFromExample(envFile: string): boolean {
  if (existsSync(envFile)) return false;
  const example = join(dirname(envFile), '.env.example');
  if (!existsSync(example)) return false;
  const text = readFileSync(example, 'utf8')
    .split('\n')
    .map((line) => {
      const cr = line.endsWith('\r') ? '\r' : '';
      const key = GENERATED_SECRETS.find((k) => line.slice(0, line.length - cr.length) === `${k}=`);
      return key ? `${key}=${randomBytes(32).toString('base64url')}${cr}` : line;
    })
    .join('\n');
  // Several services may start at once: write aside, then link into place, which fails if another won.
  const tmp = `${envFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  try {
    linkSync(tmp, envFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(tmp);
  }
}
