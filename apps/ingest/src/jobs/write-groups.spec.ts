import type { JobItem } from '@datafactory/db';
import { writeGroups } from './write-groups';

const item = (ordinal: number, docId: string): JobItem => ({ ordinal, docId, body: { text: docId } });

describe('writeGroups', () => {
  it('cuts consecutive items into groups of at most the given size', () => {
    const items = Array.from({ length: 7 }, (_, i) => item(i, `d${i}`));
    expect(writeGroups(items, 3).map((g) => g.map((i) => i.ordinal))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('starts a new group at a repeated document, so its versions are written in batch order', () => {
    const items = [item(0, 'a'), item(1, 'b'), item(2, 'a'), item(3, 'c'), item(4, 'a')];
    expect(writeGroups(items, 10).map((g) => g.map((i) => i.ordinal))).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('returns no group for no items', () => {
    expect(writeGroups([], 4)).toEqual([]);
  });
});
