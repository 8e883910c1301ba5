import { filterSql } from './search.repository';

describe('filterSql', () => {
  it('adds nothing without a filter', () => {
    const params: unknown[] = ['t', 'ns'];
    expect(filterSql(undefined, params)).toBe('');
    expect(params).toEqual(['t', 'ns']);
  });

  it('combines all scalar keys into one containment parameter appended after the existing ones', () => {
    const params: unknown[] = ['tenant', 'ns', '[1,2]', 10];
    const sql = filterSql({ lang: 'en', year: 2024, draft: false }, params);
    expect(sql).toBe(' AND c.metadata @> $5::jsonb');
    expect(params).toHaveLength(5);
    expect(JSON.parse(params[4] as string)).toEqual({ lang: 'en', year: 2024, draft: false });
  });

  it('turns an array value into an OR of one containment parameter per element', () => {
    const params: unknown[] = ['tenant', 'ns'];
    const sql = filterSql({ tag: ['a', 'b', 3] }, params);
    expect(sql).toBe(' AND (c.metadata @> $3::jsonb OR c.metadata @> $4::jsonb OR c.metadata @> $5::jsonb)');
    expect(params.slice(2).map((p) => JSON.parse(p as string))).toEqual([{ tag: 'a' }, { tag: 'b' }, { tag: 3 }]);
  });

  it('numbers every placeholder after the parameter it refers to, mixing arrays and scalars', () => {
    const params: unknown[] = ['tenant', 'ns', 'q', 5];
    const sql = filterSql({ tag: ['x', 'y'], lang: 'en', team: ['core'], year: 2024 }, params);
    expect(params).toHaveLength(8);
    // Scalars first, then one parenthesised OR group per array key; each $n points at its own JSON.
    const shape =
      /^ AND c\.metadata @> \$(\d+)::jsonb AND \(c\.metadata @> \$(\d+)::jsonb OR c\.metadata @> \$(\d+)::jsonb\) AND \(c\.metadata @> \$(\d+)::jsonb\)$/;
    const match = shape.exec(sql);
    expect(match).not.toBeNull();
    const [scalars, x, y, core] = match!.slice(1).map(Number);
    expect([scalars, x, y, core].sort()).toEqual([5, 6, 7, 8]);
    const valueOf = (n: number) => JSON.parse(params[n - 1] as string) as Record<string, unknown>;
    expect(valueOf(scalars!)).toEqual({ lang: 'en', year: 2024 });
    expect(valueOf(x!)).toEqual({ tag: 'x' });
    expect(valueOf(y!)).toEqual({ tag: 'y' });
    expect(valueOf(core!)).toEqual({ team: 'core' });
    // The parameters that were there before are untouched.
    expect(params.slice(0, 4)).toEqual(['tenant', 'ns', 'q', 5]);
  });

  it('never inlines keys or values into the SQL text', () => {
    const params: unknown[] = [];
    const evil = "x'); DROP TABLE chunks; --";
    const sql = filterSql({ [evil]: evil, other: [evil, "O'Brien"] }, params);
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain("O'Brien");
    expect(sql).not.toContain("'");
    expect(sql).toMatch(/^( AND (\(?c\.metadata @> \$\d+::jsonb( OR )?)+\)?)+$/);
    expect(params.map((p) => JSON.parse(p as string))).toEqual([{ other: evil }, { other: "O'Brien" }, { [evil]: evil }]);
  });

  it('can be called twice on one parameter list (keyword then vector query share nothing)', () => {
    const params: unknown[] = ['t'];
    expect(filterSql({ a: 1 }, params)).toBe(' AND c.metadata @> $2::jsonb');
    expect(filterSql({ b: [2] }, params)).toBe(' AND (c.metadata @> $3::jsonb)');
  });
});
