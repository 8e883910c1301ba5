import type { CorpusStats } from '../corpus/corpus';
import type { DataFactoryResult } from '../datafactory/datafactory-run';
import type { CompareOptions } from '../options';
import type { PeerResult } from '../peer/langchain-peer';
import type { ServerInfo } from '../postgres';

export interface GoalRow {
  id: string;
  goal: string;
  target: string;
  datafactory: string;
  peer: string;
  /** ours / peer where the goal is a ratio. */
  ratio: number | null;
  /** null: could not be judged (a side was skipped or failed, or no baseline). */
  pass: boolean | null;
  note?: string;
}

export interface CompareResults {
  schema: 'datafactory-bench-compare/1';
  started_at: string;
  finished_at: string;
  git_commit: string | null;
  machine: { cpus: number; cpu_model: string; memory_gb: number; node: string } & ServerInfo;
  options: CompareOptions;
  corpus: CorpusStats;
  embedding_server: { model: string; dimensions: number; embedder: string };
  peer: PeerResult | { error: string } | null;
  datafactory: DataFactoryResult | { error: string } | null;
  goals: GoalRow[];
}

export function isOk<T extends object>(value: T | { error: string } | null): value is T {
  return value !== null && !('error' in value);
}
