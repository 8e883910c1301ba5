import { z } from 'zod';

export const CheckResultSchema = z.object({
  status: z.enum(['up', 'down']),
  message: z.string().optional(),
  latency_ms: z.number().optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const HealthResponseSchema = z.object({
  status: z
    .enum(['ok', 'degraded', 'unavailable'])
    .describe('ok: everything is up; degraded: a dependency the service can serve without is down (200); unavailable: 503'),
  message: z.string().optional().describe('Names the checks that are down'),
  checks: z.record(z.string(), CheckResultSchema),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
