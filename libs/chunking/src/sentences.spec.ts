import { type Segment, splitCodeLines, splitSentences } from './sentences';

const join = (segments: Segment[]): string => segments.map((s) => s.sep + s.text).join('');

describe('splitSentences', () => {
  it('splits after . ! ? followed by whitespace', () => {
    expect(splitSentences('One. Two! Three? Four').map((s) => s.text)).toEqual(['One.', 'Two!', 'Three?', 'Four']);
  });

  it('does not split inside numbers or words', () => {
    expect(splitSentences('Version 1.5 works.Really well')).toEqual([{ text: 'Version 1.5 works.Really well', sep: '' }]);
  });

  it('does not split after common abbreviations or ordered-list markers', () => {
    expect(splitSentences('Use a store, e.g. Redis. Or (i.e. Postgres) works.').map((s) => s.text)).toEqual([
      'Use a store, e.g. Redis.',
      'Or (i.e. Postgres) works.',
    ]);
    expect(splitSentences('1. First step.\n  2. Second step.\nVersion 2. Next').map((s) => s.text)).toEqual([
      '1. First step.',
      '2. Second step.',
      'Version 2.',
      'Next',
    ]);
  });

  it('splits after a closing quote or bracket that follows the terminator', () => {
    expect(splitSentences('He said "stop." Then (he left.) Done').map((s) => s.text)).toEqual([
      'He said "stop."',
      'Then (he left.)',
      'Done',
    ]);
  });

  it('splits after full-width terminators even without a following space', () => {
    const text = '日本語です。「次の文です！」最後？ Then English.';
    const segments = splitSentences(text);
    expect(segments.map((s) => s.text)).toEqual(['日本語です。', '「次の文です！」', '最後？', 'Then English.']);
    expect(join(segments)).toBe(text);
  });

  it('splits at newlines and keeps the original whitespace as separators', () => {
    const text = '- item one\n- item two  \n   indented. Next';
    const segments = splitSentences(text);
    expect(segments.map((s) => s.text)).toEqual(['- item one', '- item two', 'indented.', 'Next']);
    expect(segments.map((s) => s.sep)).toEqual(['', '\n', '  \n   ', ' ']);
    expect(join(segments)).toBe(text);
  });

  it('stays linear on huge whitespace runs', () => {
    const text = `a${' '.repeat(200_000)}b. c`;
    const started = performance.now();
    expect(splitSentences(text).map((s) => s.text)).toEqual(['a' + ' '.repeat(200_000) + 'b.', 'c']);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('splitCodeLines', () => {
  it('keeps indentation, folds blank lines and trailing spaces into separators', () => {
    const text = 'function f() {  \n\n    return 1;\n}';
    const segments = splitCodeLines(text);
    expect(segments).toEqual([
      { text: 'function f() {', sep: '' },
      { text: '    return 1;', sep: '  \n\n' },
      { text: '}', sep: '\n' },
    ]);
    expect(join(segments)).toBe(text);
  });
});
