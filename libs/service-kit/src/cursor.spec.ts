import { AppError, ErrorCode } from '@datafactory/contracts';
import { decodeCursor, encodeCursor } from './cursor';

function decodeError(cursor: string): AppError {
  try {
    decodeCursor(cursor, ['after']);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error(`expected ${JSON.stringify(cursor)} to be rejected`);
}

describe('keyset cursor', () => {
  it.each(['a', 'docs/2024/report.md', 'ümlaut – ünïcode 文档 🚀', 'x'.repeat(512), '{"after":"x"}', '+/='])('round-trips %j', (docId) => {
    const cursor = encodeCursor({ after: docId });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ['after'])?.after).toBe(docId);
  });

  it('is opaque: the doc id is not readable in the cursor', () => {
    expect(encodeCursor({ after: 'secret-doc' })).not.toContain('secret-doc');
  });

  it('means "first page" when absent or empty', () => {
    expect(decodeCursor(undefined, ['after'])).toBeNull();
    expect(decodeCursor('', ['after'])).toBeNull();
  });

  it.each([
    ['garbage', 'not-a-cursor!!'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['JSON without after', Buffer.from('{"before":"x"}').toString('base64url')],
    ['empty after', Buffer.from('{"after":""}').toString('base64url')],
    ['numeric after', Buffer.from('{"after":42}').toString('base64url')],
    ['array', Buffer.from('["x"]').toString('base64url')],
  ])('rejects %s with invalid_request', (_what, cursor) => {
    const error = decodeError(cursor);
    expect(error.code).toBe(ErrorCode.InvalidRequest);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^invalid cursor/);
  });
});
