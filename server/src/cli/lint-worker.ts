/**
 * The worker side of the CLI's pool: a FileLinter answering the main thread's jobs in order.
 * Loaded as the worker's script (the bundle's cli.js, or this file when run from sources); on the
 * main thread importing it does nothing.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { FileLinter, type LinterInit, type LintJob, type SummaryJob } from './file-linter';
import type { ModelFact } from '../languages/facts';

export const WORKER_MARK = 'perflens-lint-worker';

export type Job = { kind: 'summarize'; id: number; job: SummaryJob } | { kind: 'lint'; id: number; job: LintJob };

/** Jobs travel in batches, answered in one message each: a message costs a thread wake-up. */
export type ToWorker = { kind: 'jobs'; jobs: Job[] } | { kind: 'models'; entries: Array<[string, ModelFact[]]> };

export type Answer = { id: number; result: unknown } | { id: number; failed: string };

export type FromWorker = { kind: 'ready' } | { kind: 'log'; message: string } | { kind: 'answers'; answers: Answer[] };

function serve(init: LinterInit): void {
  const port = parentPort!;
  const send = (m: FromWorker): void => port.postMessage(m);
  const linter = FileLinter.create(init, (message) => send({ kind: 'log', message }));
  linter.then(
    () => send({ kind: 'ready' }),
    (e: Error) => send({ kind: 'log', message: `worker failed to start: ${e.message}` }),
  );
  // Messages are handled in arrival order: models always arrive before the lint jobs that need them.
  let queue = linter;
  port.on('message', (m: ToWorker) => {
    queue = queue.then((l) => {
      if (m.kind === 'models') {
        l.setModels(m.entries);
        return l;
      }
      const answers = m.jobs.map((j): Answer => {
        try {
          return { id: j.id, result: j.kind === 'summarize' ? l.summarize(j.job) : l.lint(j.job) };
        } catch (e) {
          return { id: j.id, failed: (e as Error).stack ?? (e as Error).message };
        }
      });
      send({ kind: 'answers', answers });
      return l;
    });
  });
}

if (!isMainThread && (workerData as { mark?: string } | undefined)?.mark === WORKER_MARK) {
  serve((workerData as { init: LinterInit }).init);
}
