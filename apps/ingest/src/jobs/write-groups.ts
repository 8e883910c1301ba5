import type { JobItem } from '@datafactory/db';

/**
 * Consecutive items in groups of at most `size`, each doc_id at most once per group: a repeated document starts a
 * new group, so the later version is written after the earlier one, as in the batch's order.
 */
export function writeGroups(items: JobItem[], size: number): JobItem[][] {
  const groups: JobItem[][] = [];
  let current: JobItem[] = [];
  let ids = new Set<string>();
  for (const item of items) {
    if (current.length >= size || ids.has(item.docId)) {
      groups.push(current);
      current = [];
      ids = new Set();
    }
    current.push(item);
    ids.add(item.docId);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
