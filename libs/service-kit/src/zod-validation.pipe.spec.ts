import { AppError, ErrorCode, SearchRequestSchema, UpsertDocumentRequestSchema } from '@datafactory/contracts';
import { z } from 'zod';
import { ZodValidationPipe } from './zod-validation.pipe';

function failure(pipe: ZodValidationPipe<z.ZodType>, value: unknown): AppError {
  try {
    pipe.transform(value);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the pipe to throw');
}

describe('ZodValidationPipe', () => {
  it('returns the parsed value, with defaults applied', () => {
    expect(new ZodValidationPipe(SearchRequestSchema).transform({ query: 'q' })).toEqual({ query: 'q', top_k: 10, mode: 'hybrid' });
  });

  it('throws invalid_request (HTTP 400) with every issue in details.issues', () => {
    const error = failure(new ZodValidationPipe(SearchRequestSchema, 'search request'), { query: ' ', top_k: 0, mode: 'fuzzy' });
    expect(error.code).toBe(ErrorCode.InvalidRequest);
    expect(error.status).toBe(400);
    const issues = (error.details as { issues: Array<{ path: string; message: string }> }).issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'query', message: 'query must contain at least one non-whitespace character' },
        { path: 'top_k', message: 'top_k must be between 1 and 100' },
        { path: 'mode', message: expect.any(String) },
      ]),
    );
    expect(issues).toHaveLength(3);
    expect(error.message).toMatch(/^invalid search request: /);
    expect(error.message).toContain('query: query must contain at least one non-whitespace character');
    expect(error.message).toContain('top_k: top_k must be between 1 and 100');
  });

  it('says "is required" for a missing field and names unknown fields', () => {
    const error = failure(new ZodValidationPipe(UpsertDocumentRequestSchema), { text: 'x', tenant: 't' });
    const issues = (error.details as { issues: Array<{ path: string; message: string }> }).issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'doc_id', message: 'is required' },
        { path: '(root)', message: 'unknown field(s): tenant' },
      ]),
    );
    expect(error.message).toContain('doc_id: is required');
    // Root issues are not prefixed with "(root): ".
    expect(error.message).toContain('; unknown field(s): tenant');
    expect(error.message).not.toContain('(root)');
    expect(error.message).toMatch(/^invalid request: /);
  });

  it('asks for a JSON body when there is none', () => {
    const error = failure(new ZodValidationPipe(UpsertDocumentRequestSchema), undefined);
    expect((error.details as { issues: unknown[] }).issues).toEqual([
      { path: '(root)', message: 'a JSON object body is required (send Content-Type: application/json)' },
    ]);
    expect(error.message).toBe('invalid request: a JSON object body is required (send Content-Type: application/json)');
  });

  it('summarises the first three issues in the message and counts the rest', () => {
    const schema = z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string(), e: z.string() });
    const error = failure(new ZodValidationPipe(schema, 'thing'), {});
    expect(error.message).toBe('invalid thing: a: is required; b: is required; c: is required (and 2 more)');
    expect((error.details as { issues: unknown[] }).issues).toHaveLength(5);
  });

  it('joins nested paths with dots', () => {
    const error = failure(new ZodValidationPipe(UpsertDocumentRequestSchema), { doc_id: 'd', text: 't', subject_ids: ['ok', ''] });
    expect((error.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toEqual(['subject_ids.1']);
  });
});
