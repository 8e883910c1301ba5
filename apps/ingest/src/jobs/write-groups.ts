/** Most text one write group carries: its documents travel in one statement and one transaction. */
export const WRITE_GROUP_MAX_BYTES = 16 * 1024 * 1024;

export interface GroupLimits {
  docs: number;
  bytes: number;
}

/**
 * Consecutive items in groups of at most `limits.docs` items and (unless one item alone is larger) `limits.bytes` of
 * text, each document at most once per group: a repeated document starts a new group, so the later version is
 * written after the earlier one, as in the input's order.
 */
export function writeGroups<T>(items: readonly T[], limits: GroupLimits, docId: (item: T) => string, bytes: (item: T) => number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let ids = new Set<string>();
  let size = 0;
  for (const item of items) {
    const itemBytes = bytes(item);
    if (current.length > 0 && (current.length >= limits.docs || size + itemBytes > limits.bytes || ids.has(docId(item)))) {
      groups.push(current);
      current = [];
      ids = new Set();
      size = 0;
    }
    current.push(item);
    ids.add(docId(item));
    size += itemBytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** UTF-8 bytes of a document's text and title, the bulk of what a group writes. */
export function textBytes(doc: { text?: string; title?: string | null }): number {
  return Buffer.byteLength(doc.text ?? '') + Buffer.byteLength(doc.title ?? '');
}
