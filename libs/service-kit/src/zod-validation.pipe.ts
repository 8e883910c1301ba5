import { AppError, ErrorCode, FieldIssue } from '@datafactory/contracts';
import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';

/** Validates a body, query or param against a contracts schema; 400 with every problem listed. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly what = 'request',
  ) {}

  transform(value: unknown): z.output<S> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issues: FieldIssue[] = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.') || '(root)',
      message: humanMessage(i),
    }));
    const summary = issues
      .slice(0, 3)
      .map((i) => (i.path === '(root)' ? i.message : `${i.path}: ${i.message}`))
      .join('; ');
    throw new AppError(
      ErrorCode.InvalidRequest,
      `invalid ${this.what}: ${summary}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`,
      {
        details: { issues },
      },
    );
  }
}

function humanMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return issue.path.length === 0 ? 'a JSON object body is required (send Content-Type: application/json)' : 'is required';
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  return issue.message;
}
