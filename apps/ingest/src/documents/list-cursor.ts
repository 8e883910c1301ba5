import { AppError, ErrorCode } from '@datafactory/contracts';

/** Opaque keyset cursor: the last doc_id of the page, base64url-encoded JSON. */
export function encodeCursor(lastDocId: string): string {
  return Buffer.from(JSON.stringify({ after: lastDocId })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (parsed as { after?: unknown }).after;
    if (typeof after === 'string' && after.length > 0) return after;
  } catch {
    // fall through to the error below
  }
  throw new AppError(ErrorCode.InvalidRequest, 'invalid cursor: pass the next_cursor value of the previous page unchanged');
}
