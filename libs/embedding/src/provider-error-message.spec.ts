import { extractProviderMessage, sanitizeProviderMessage } from './provider-error-message';

describe('extractProviderMessage', () => {
  it('reads OpenAI, Ollama and plain message shapes', () => {
    expect(extractProviderMessage('{"error":{"message":"bad model"}}')).toBe('bad model');
    expect(extractProviderMessage('{"error":"model not found"}')).toBe('model not found');
    expect(extractProviderMessage('{"message":"nope"}')).toBe('nope');
    expect(extractProviderMessage('<html>502</html>')).toBeUndefined();
    expect(extractProviderMessage('{"error":{}}')).toBeUndefined();
  });
});

describe('sanitizeProviderMessage', () => {
  it('removes the API key and echoed input, including partial echoes', () => {
    const input = 'Confidential merger memo: ACME acquires Globex for 4.2 billion dollars in cash';
    const msg = sanitizeProviderMessage(
      `Invalid input '${input.slice(0, 40)}...' for key sk-secret-123; also saw "${input}"`,
      ['sk-secret-123'],
      [input],
    );
    expect(msg).not.toContain('sk-secret-123');
    expect(msg).not.toContain('Confidential merger');
    expect(msg).not.toContain('Globex');
    expect(msg).toContain('[redacted]');
    expect(msg).toContain('Invalid input');
  });

  it('leaves short unrelated words alone and truncates to 300 chars', () => {
    expect(sanitizeProviderMessage('model is overloaded', [], ['a', 'is'])).toBe('model is overloaded');
    const long = sanitizeProviderMessage('x'.repeat(1000), [], []);
    expect(long.length).toBe(300);
  });
});
