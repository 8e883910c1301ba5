import { textBytes, writeGroups } from './write-groups';

interface Item {
  ordinal: number;
  docId: string;
  size: number;
}
const item = (ordinal: number, docId: string, size = 1): Item => ({ ordinal, docId, size });
const group = (items: Item[], docs: number, bytes = Infinity) =>
  writeGroups(
    items,
    { docs, bytes },
    (i) => i.docId,
    (i) => i.size,
  ).map((g) => g.map((i) => i.ordinal));

describe('writeGroups', () => {
  it('cuts consecutive items into groups of at most the given size', () => {
    expect(
      group(
        Array.from({ length: 7 }, (_, i) => item(i, `d${i}`)),
        3,
      ),
    ).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('starts a new group at a repeated document, so its versions are written in order', () => {
    expect(group([item(0, 'a'), item(1, 'b'), item(2, 'a'), item(3, 'c'), item(4, 'a')], 10)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('keeps a group under the byte limit, and puts an item larger than the limit in a group of its own', () => {
    expect(group([item(0, 'a', 4), item(1, 'b', 4), item(2, 'c', 4), item(3, 'd', 20), item(4, 'e', 1)], 10, 10)).toEqual([
      [0, 1],
      [2],
      [3],
      [4],
    ]);
  });

  it('returns no group for no items', () => {
    expect(group([], 4)).toEqual([]);
  });

  it('counts UTF-8 bytes of text and title', () => {
    expect(textBytes({ text: 'héllo', title: 'ü' })).toBe(8);
    expect(textBytes({ text: 'x', title: null })).toBe(1);
  });
});
