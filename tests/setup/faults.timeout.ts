// Fault scenarios wait out locks, retries with backoff and server restarts.
jest.setTimeout(240_000);
