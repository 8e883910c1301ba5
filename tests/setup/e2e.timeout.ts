// End-to-end tests drive real processes; the default 5 s per test is too tight on a loaded CI machine.
jest.setTimeout(60_000);
