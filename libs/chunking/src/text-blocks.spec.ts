import { normalizeLineEndings, splitSections } from './text-blocks';

describe('normalizeLineEndings', () => {
  it('turns CRLF and lone CR into LF', () => {
    expect(normalizeLineEndings('a\r\nb\rc\n')).toBe('a\nb\nc\n');
  });
});

describe('splitSections', () => {
  it('splits paragraphs on blank lines and groups list items', () => {
    const [section] = splitSections('First line\nsame paragraph\n\n- one\n- two\n  continued\n\n\nLast');
    expect(section?.blocks).toEqual([
      { kind: 'text', text: 'First line\nsame paragraph' },
      { kind: 'text', text: '- one\n- two\n  continued' },
      { kind: 'text', text: 'Last' },
    ]);
    expect(section?.path).toEqual([]);
    expect(section?.heading).toBeUndefined();
  });

  it('builds heading paths, resetting deeper levels', () => {
    const sections = splitSections('# A\n\na\n\n## B\n\nb\n\n### C\n\nc\n\n## D ##\n\nd\n\n#### E\n\ne\n\n# F\n\nf');
    expect(sections.map((s) => s.path)).toEqual([['A'], ['A', 'B'], ['A', 'B', 'C'], ['A', 'D'], ['A', 'D', 'E'], ['F']]);
    expect(sections.map((s) => s.heading)).toEqual(['# A', '## B', '### C', '## D ##', '#### E', '# F']);
    expect(sections.map((s) => s.level)).toEqual([1, 2, 3, 2, 4, 1]);
  });

  it('only treats "#" followed by a space (or nothing) as a heading', () => {
    const sections = splitSections('#hashtag text\n####### seven\n# C#');
    expect(sections).toHaveLength(2);
    expect(sections[0]?.blocks).toEqual([{ kind: 'text', text: '#hashtag text\n####### seven' }]);
    expect(sections[1]?.path).toEqual(['C#']);
  });

  it('keeps a fenced code block whole, blank lines and "#" lines included', () => {
    const fence = '```python\n# comment, not a heading\n\n\ndef f():\n    return 1\n```';
    const sections = splitSections(`Intro\n${fence}\nAfter`);
    expect(sections).toHaveLength(1);
    expect(sections[0]?.blocks).toEqual([
      { kind: 'text', text: 'Intro' },
      { kind: 'code', text: fence },
      { kind: 'text', text: 'After' },
    ]);
  });

  it('closes a fence only with the same marker at least as long, and runs an unclosed fence to the end', () => {
    const text = '~~~~\n```\n~~~\nstill code\n~~~~\n\n````\nunclosed\n\n# not a heading';
    expect(splitSections(text)[0]?.blocks).toEqual([
      { kind: 'code', text: '~~~~\n```\n~~~\nstill code\n~~~~' },
      { kind: 'code', text: '````\nunclosed\n\n# not a heading' },
    ]);
  });

  it('does not treat inline code with backticks in the info string as a fence', () => {
    expect(splitSections('``` a ` b\n\ntext')[0]?.blocks.map((b) => b.kind)).toEqual(['text', 'text']);
  });
});
