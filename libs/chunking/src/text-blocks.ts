/** A unit of document structure that the chunker prefers not to cut. */
export interface TextBlock {
  /** `code` blocks are fenced code; they are only ever cut at line boundaries. */
  kind: 'text' | 'code';
  /** Trimmed, never empty. */
  text: string;
}

/** The blocks under one heading (or before the first heading). */
export interface TextSection {
  /** 0 for the preamble before the first heading, else the ATX level 1..6. */
  level: number;
  /** Heading titles from the outermost down, e.g. ["Guide", "Install"]; empty for the preamble. */
  path: string[];
  /** The heading line as written (trimmed), absent for the preamble. */
  heading?: string;
  blocks: TextBlock[];
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const HEADING_CLOSING_HASHES = /(?:^|[ \t]+)#+$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** Windows and old-Mac line endings would otherwise defeat every line-based rule below. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

interface OpenFence {
  marker: string;
  lines: string[];
}

/**
 * Splits Markdown-ish text into heading-delimited sections of blocks: paragraphs (consecutive
 * non-blank lines, so a tight list stays together) and fenced code blocks (blank lines inside kept).
 * Expects normalised line endings.
 */
export function splitSections(text: string): TextSection[] {
  const sections: TextSection[] = [];
  let current: TextSection = { level: 0, path: [], blocks: [] };
  // Titles by level (index 0 = "#"); a heading clears every deeper level.
  const titles: (string | undefined)[] = [];
  let paragraph: string[] = [];
  let fence: OpenFence | undefined;

  const flushParagraph = (): void => {
    const body = paragraph.join('\n').trim();
    if (body.length > 0) current.blocks.push({ kind: 'text', text: body });
    paragraph = [];
  };
  const flushFence = (open: OpenFence): void => {
    current.blocks.push({ kind: 'code', text: open.lines.join('\n').trim() });
  };

  for (const line of text.split('\n')) {
    if (fence) {
      fence.lines.push(line);
      const close = FENCE_CLOSE.exec(line);
      // CommonMark: the closing fence uses the same character and is at least as long as the opener.
      if (close?.[1] && close[1][0] === fence.marker[0] && close[1].length >= fence.marker.length) {
        flushFence(fence);
        fence = undefined;
      }
      continue;
    }

    const open = FENCE_OPEN.exec(line);
    // A backtick "fence" whose info string holds a backtick is inline code, not a fence.
    if (open?.[1] && !(open[1][0] === '`' && (open[2] ?? '').includes('`'))) {
      flushParagraph();
      fence = { marker: open[1], lines: [line] };
      continue;
    }

    const heading = HEADING.exec(line);
    if (heading?.[1]) {
      flushParagraph();
      sections.push(current);
      const level = heading[1].length;
      const title = (heading[2] ?? '').replace(HEADING_CLOSING_HASHES, '').trim();
      titles.length = level;
      titles[level - 1] = title;
      const path = titles.filter((t): t is string => t !== undefined && t.length > 0);
      current = { level, path, heading: line.trim(), blocks: [] };
      continue;
    }

    if (line.trim().length === 0) flushParagraph();
    else paragraph.push(line);
  }

  // An unclosed fence runs to the end of the document, as in CommonMark.
  if (fence) flushFence(fence);
  flushParagraph();
  sections.push(current);
  return sections.filter((s) => s.heading !== undefined || s.blocks.length > 0);
}
