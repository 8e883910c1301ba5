const MAX_MESSAGE_CHARS = 300;
// Only this much of a provider message is inspected; the result is cut to 300 chars anyway.
const SCAN_CHARS = 1000;
// Any run of this many characters that also occurs in an input is treated as echoed input.
const ECHO_WINDOW = 16;
// Shorter inputs are only redacted on exact match; tiny ones ("a", "ok") would mangle the message.
const MIN_EXACT_REDACT = 4;
const REDACTED = '[redacted]';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Pulls the human-readable message out of the common error body shapes. */
export function extractProviderMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Non-JSON bodies (proxy HTML pages etc.) are not surfaced: they are noise and may echo input.
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const { error, message } = parsed;
  if (isRecord(error) && typeof error['message'] === 'string') return error['message'];
  if (typeof error === 'string') return error; // Ollama / llama.cpp style
  if (typeof message === 'string') return message;
  return undefined;
}

/**
 * Makes a provider error message safe to log: removes the API key and anything that looks like
 * echoed input text (servers like to quote the offending input), then truncates.
 */
export function sanitizeProviderMessage(message: string, secrets: readonly string[], inputs: readonly string[]): string {
  let msg = message.slice(0, SCAN_CHARS);
  for (const s of secrets) if (s.length > 0) msg = msg.split(s).join(REDACTED);
  for (const s of inputs) if (s.length >= MIN_EXACT_REDACT) msg = msg.split(s).join(REDACTED);

  const haystack = [...secrets, ...inputs].filter((t) => t.length >= ECHO_WINDOW).join('\u0000');
  if (haystack.length > 0 && msg.length >= ECHO_WINDOW) {
    const hit = new Uint8Array(msg.length);
    for (let i = 0; i + ECHO_WINDOW <= msg.length; i++) {
      if (haystack.includes(msg.slice(i, i + ECHO_WINDOW))) hit.fill(1, i, i + ECHO_WINDOW);
    }
    let out = '';
    for (let i = 0; i < msg.length;) {
      if (hit[i] === 1) {
        while (i < msg.length && hit[i] === 1) i++;
        out += REDACTED;
      } else {
        out += msg.charAt(i);
        i++;
      }
    }
    msg = out;
  }

  msg = msg.replace(/\s+/g, ' ').trim();
  return msg.length > MAX_MESSAGE_CHARS ? `${msg.slice(0, MAX_MESSAGE_CHARS - 1)}…` : msg;
}
