/**
 * The messages between the CLI's main thread and its lint workers. Apart from the linter it drives,
 * so that the main thread can talk to workers without loading the parsers itself.
 */
import type { LintJob, SummaryJob } from './file-linter';
import type { ModelFact } from '../languages/facts';
import type { SharedFacts } from '../engine/workspace-functions';

export const WORKER_MARK = 'perflens-lint-worker';

export type Job =
  | { kind: 'summarize'; id: number; job: SummaryJob }
  | { kind: 'lint'; id: number; job: LintJob }
  // The language server's workspace index: the worker reads the file itself.
  | { kind: 'index'; id: number; job: { path: string } };

/** Jobs travel in batches, answered in one message each: a message costs a thread wake-up. */
export type ToWorker =
  | { kind: 'jobs'; jobs: Job[] }
  | { kind: 'models'; entries: Array<[string, ModelFact[]]> }
  // What files parsed by another worker show (FileLinter.onShown).
  | { kind: 'shown'; entries: Array<[string, SharedFacts]> }
  | { kind: 'close' };

export type Answer = { id: number; result: unknown } | { id: number; failed: string };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'log'; message: string }
  // With what the files parsed for these jobs show, for the other workers.
  | { kind: 'answers'; answers: Answer[]; shown?: Array<[string, SharedFacts]> };
