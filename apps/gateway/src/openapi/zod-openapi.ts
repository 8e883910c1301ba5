import { ErrorCode } from '@datafactory/contracts';
import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

type SchemaObject = Record<string, unknown>;

/** The contracts' zod schemas are the single source of the OpenAPI document's request/response shapes. */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json['$schema'];
  return json as SchemaObject;
}

export const ApiJsonBody = (schema: z.ZodType) => ApiBody({ schema: openApiSchema(schema, 'input') as never });

export const ApiJsonResponse = (status: number, schema: z.ZodType, description: string) =>
  ApiResponse({ status, description, schema: openApiSchema(schema, 'output') as never });

const errorSchema: SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'request_id'],
      properties: {
        code: { type: 'string', enum: Object.values(ErrorCode) },
        message: { type: 'string' },
        details: {},
        request_id: { type: 'string' },
        trace_id: { type: 'string' },
      },
    },
  },
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid or malformed input (`invalid_request`, `malformed_json`)',
  401: 'missing, wrong or revoked credentials',
  403: 'authenticated, but the key or token may not call this endpoint',
  404: 'not found, or not visible to this tenant',
  409: 'conflict: `job_not_cancellable`, or `idempotency_request_in_progress` (the first request with this key is still running)',
  413: 'request body over MAX_BODY_BYTES, or `batch_too_large`',
  422: '`idempotency_key_reused` (same key, different request) or `embedding_rejected` (the provider refused the text)',
  502: 'the embedding provider failed',
  503: 'a dependency (service, Postgres, Redis) is unavailable',
};

/** Documents the shared error shape for the given statuses. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'error', schema: errorSchema as never })),
  );

/** A mutating route: documents the Idempotency-Key header and the errors it can add. */
export const ApiIdempotent = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Same key and same request → the original response (for IDEMPOTENCY_TTL_SECONDS, default 24 h); same key, other request → 422',
    }),
    ApiErrors(409, 422),
  );
