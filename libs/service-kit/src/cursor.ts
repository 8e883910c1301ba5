import { AppError, ErrorCode } from '@datafactory/contracts';

/** Opaque keyset cursor: the last row's sort key, base64url-encoded JSON. */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key of a cursor made by {@link encodeCursor}, or null without a cursor; 400 when it is not one. */
export function decodeCursor<K extends string>(cursor: string | undefined, keys: readonly K[]): Record<K, string> | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (keys.every((k) => typeof parsed[k] === 'string' && (parsed[k] as string).length > 0)) return parsed as Record<K, string>;
  } catch {
    // fall through to the error below
  }
  throw new AppError(ErrorCode.InvalidRequest, 'invalid cursor: pass the next_cursor value of the previous page unchanged');
}

/**
 * One page of a keyset query that fetched `limit + 1` rows: the rows to return and the cursor of the next
 * page (null on the last one).
 */
export function keysetPage<T>(
  rows: T[],
  limit: number,
  keyOf: (last: T) => Record<string, string>,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
