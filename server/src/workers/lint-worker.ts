/**
 * The worker side of the CLI's pool: a FileLinter answering the main thread's jobs in order.
 * Loaded as the worker's script; on the main thread it only hands out the FileLinter (the
 * LocalRunner's). Bundled, this is its own file (server/out/lint-worker.js, see
 * scripts/bundle.mjs): the parsers and rules load only where files are linted, so a re-scan that
 * the cache answers never loads them.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { FileLinter, type LinterInit } from './file-linter';
import type { SharedFacts } from '../engine/workspace-functions';
import { WORKER_MARK, type Answer, type FromWorker, type ToWorker } from './lint-protocol';

export { FileLinter };

function serve(init: LinterInit): void {
  const port = parentPort!;
  const send = (m: FromWorker): void => port.postMessage(m);
  const shown: Array<[string, SharedFacts]> = [];
  const linter = FileLinter.create(init, (message) => send({ kind: 'log', message })).then((l) => {
    l.onShown = (file, facts) => shown.push([file, facts]);
    return l;
  });
  linter.then(
    () => send({ kind: 'ready' }),
    (e: Error) => send({ kind: 'log', message: `worker failed to start: ${e.message}` }),
  );
  // Messages are handled in arrival order: models always arrive before the lint jobs that need them.
  let queue = linter;
  port.on('message', (m: ToWorker) => {
    queue = queue.then((l) => {
      // After the jobs sent before: ending by itself lets the thread's exit handlers run (code-cache.ts).
      if (m.kind === 'close') process.exit(0);
      if (m.kind === 'models') {
        l.setModels(m.entries);
        return l;
      }
      if (m.kind === 'shown') {
        l.offer(m.entries);
        return l;
      }
      const answers = m.jobs.map((j): Answer => {
        try {
          return { id: j.id, result: j.kind === 'summarize' ? l.summarize(j.job) : j.kind === 'index' ? l.index(j.job.path) : l.lint(j.job) };
        } catch (e) {
          return { id: j.id, failed: (e as Error).stack ?? (e as Error).message };
        }
      });
      send({ kind: 'answers', answers, ...(shown.length ? { shown: shown.splice(0) } : {}) });
      return l;
    });
  });
}

if (!isMainThread && (workerData as { mark?: string } | undefined)?.mark === WORKER_MARK) {
  serve((workerData as { init: LinterInit }).init);
}
