// Test helpers; deliberately not exported from the main entry so production code cannot use them.
export * from './fake-openai-server';
