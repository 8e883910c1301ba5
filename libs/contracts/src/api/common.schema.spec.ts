import { NamespaceQuerySchema, NamespaceSchema } from './common.schema';

describe('NamespaceSchema', () => {
  it.each(['default', 'a', 'A1', 'team-a', 'kb.v2', 'tenant_x:docs', '0start', 'x'.repeat(128)])('accepts %j', (ns) => {
    expect(NamespaceSchema.safeParse(ns).success).toBe(true);
  });

  it.each([
    '',
    '-dash-first',
    '.dot-first',
    '_under',
    ':colon',
    'has space',
    'slash/inside',
    'ümlaut',
    'x'.repeat(129),
    'tab\t',
    'new\nline',
  ])('rejects %j', (ns) => {
    const parsed = NamespaceSchema.safeParse(ns);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^namespace must be 1-128 characters/);
  });

  it('rejects non-strings', () => {
    expect(NamespaceSchema.safeParse(42).success).toBe(false);
    expect(NamespaceSchema.safeParse(null).success).toBe(false);
  });

  it('is optional in the namespace query', () => {
    expect(NamespaceQuerySchema.parse({})).toEqual({});
    expect(NamespaceQuerySchema.parse({ namespace: 'kb' })).toEqual({ namespace: 'kb' });
    expect(NamespaceQuerySchema.safeParse({ namespace: '' }).success).toBe(false);
  });
});
