/**
 * Where per-file work runs: the CLI's lint passes on worker threads, one per core, or on the main
 * thread for small runs (starting a worker costs about as much as linting a hundred files); the
 * language server's workspace index on worker threads. Both runners answer the same jobs with the
 * same plain data, so the output does not depend on which one ran.
 */
import * as path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { FileLinter, FileSummary, LinterInit, LintJob, LintOutcome, SummaryJob } from './file-linter';
import { CODE_CACHE_LOADER, requireWithCodeCache } from './code-cache';
import { WORKER_MARK, type FromWorker, type Job, type ToWorker } from './lint-protocol';
import type { ModelFact } from '../languages/facts';
import type { IndexResult } from '../engine/workspace-index';

export interface LintRunner {
  summarize(job: SummaryJob): Promise<FileSummary>;
  setModels(entries: Array<[string, ModelFact[]]>): void;
  lint(job: LintJob): Promise<LintOutcome>;
  close(): Promise<void>;
}

/** The workers' script: lint-worker.js beside this module, bundled (server/out) or compiled. */
export const LINT_WORKER_SCRIPT = path.join(__dirname, 'lint-worker.js');

export class LocalRunner implements LintRunner {
  private constructor(private readonly linter: FileLinter) {}

  /** `codeCache`: the folder of V8's code cache for the worker's module (code-cache.ts). */
  static async start(init: LinterInit, log: (m: string) => void, codeCache?: string): Promise<LocalRunner> {
    // The worker's module (its own bundle once built): the parsers load only now. `require`, not
    // `import()`: importing CommonJS runs Node's export scanner over all 14 MB of the bundle.
    const { FileLinter } = requireWithCodeCache(LINT_WORKER_SCRIPT, codeCache) as typeof import('./lint-worker.js');
    return new LocalRunner(await FileLinter.create(init, log));
  }

  summarize(job: SummaryJob): Promise<FileSummary> {
    return Promise.resolve(this.linter.summarize(job));
  }

  setModels(entries: Array<[string, ModelFact[]]>): void {
    this.linter.setModels(entries);
  }

  lint(job: LintJob): Promise<LintOutcome> {
    return Promise.resolve(this.linter.lint(job));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

interface Pending {
  message: Job;
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * Jobs sent ahead to each worker, in batches: a worker that waited for the main thread to hear its
 * answer and send the next job would sit idle for a thread wake-up per file, and each message
 * costs a wake-up of its own.
 */
const BATCH = 8;
/** How long close() waits for a worker to end by itself. */
const CLOSE_GRACE_MS = 2000;
const IN_FLIGHT = 2 * BATCH;

interface Slot {
  worker: Worker;
  /** Sent and not answered yet, in order (a worker answers in the order it receives). */
  busy: Pending[];
  /** Lint jobs of files whose facts this worker kept from the model pass. */
  own: Pending[];
}

export class WorkerPool implements LintRunner {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  /** Which worker kept the facts of a file in the model pass. */
  private readonly owner = new Map<string, Slot>();
  private nextId = 0;
  private failure?: Error;
  private closing = false;
  private scheduled = false;
  private readonly logged = new Set<string>();

  /**
   * `resourceLimits`: a heap cap per worker; a worker that reaches it ends, and its jobs fail.
   * `codeCache`: the folder of V8's code cache, which workers then load `script` through
   * (code-cache.ts).
   */
  constructor(script: string, size: number, init: LinterInit, private readonly log: (m: string) => void, resourceLimits?: ResourceLimits, codeCache?: string) {
    const boot = codeCache ? `require(${JSON.stringify(CODE_CACHE_LOADER)}).requireWithCodeCache(${JSON.stringify(script)}, ${JSON.stringify(codeCache)})` : undefined;
    for (let i = 0; i < size; i++) {
      const options = { workerData: { mark: WORKER_MARK, init }, resourceLimits };
      const worker = boot ? new Worker(boot, { ...options, eval: true }) : new Worker(script, options);
      const slot: Slot = { worker, busy: [], own: [] };
      worker.on('message', (m: FromWorker) => this.receive(slot, m));
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`a lint worker exited with code ${code}`));
      });
      this.slots.push(slot);
    }
  }

  private receive(slot: Slot, m: FromWorker): void {
    // Every worker reads the same settings and tsconfig.json: a note they all make is printed once.
    if (m.kind === 'log' && !this.logged.has(m.message)) {
      this.logged.add(m.message);
      this.log(m.message);
    }
    if (m.kind !== 'answers') return;
    if (m.shown) for (const other of this.slots) if (other !== slot) other.worker.postMessage({ kind: 'shown', entries: m.shown } satisfies ToWorker);
    for (const answer of m.answers) {
      const job = slot.busy.shift()!;
      if ('result' in answer) {
        if (job.message.kind === 'summarize' && job.message.job.keep) this.owner.set(job.message.job.path, slot);
        if (job.message.kind === 'lint') this.claim(slot, (answer.result as LintOutcome).loaded);
        job.resolve(answer.result);
      } else job.reject(new Error(`${job.message.job.path}: ${answer.failed}`));
    }
    this.dispatch();
  }

  /** The worker keeps the facts of these files (parsed for their helpers): their lint jobs go to it. */
  private claim(slot: Slot, files: readonly string[] | undefined): void {
    if (!files?.length) return;
    const wanted = new Set(files);
    for (const f of files) this.owner.set(f, slot);
    for (let i = 0; i < this.queue.length; i++) {
      const p = this.queue[i];
      if (p.message.kind === 'lint' && wanted.has(p.message.job.path)) {
        slot.own.push(p);
        this.queue.splice(i--, 1);
      }
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const slot of this.slots) {
      for (const p of slot.busy.splice(0)) p.reject(e);
      for (const p of slot.own.splice(0)) p.reject(e);
    }
    for (const p of this.queue.splice(0)) p.reject(e);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      const batch: Job[] = [];
      while (slot.busy.length < IN_FLIGHT && batch.length < BATCH) {
        // Own jobs first (their facts are there); then the shared queue; then another worker's own.
        const next = slot.own.shift() ?? this.queue.shift() ?? this.slots.reduce<Slot | undefined>((a, s) => (s.own.length > (a?.own.length ?? 0) ? s : a), undefined)?.own.shift();
        if (!next) break;
        slot.busy.push(next);
        batch.push(next.message);
      }
      if (batch.length) slot.worker.postMessage({ kind: 'jobs', jobs: batch } satisfies ToWorker);
    }
  }

  private submit<T>(message: Job, to?: Slot): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      (to ? to.own : this.queue).push({ message, resolve: resolve as (r: unknown) => void, reject });
      // Once the caller has queued all it has: full batches from the start.
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => {
          this.scheduled = false;
          this.dispatch();
        });
      }
    });
  }

  summarize(job: SummaryJob): Promise<FileSummary> {
    return this.submit({ kind: 'summarize', id: this.nextId++, job });
  }

  /** The workspace index's entry for a file (the language server's index workers). */
  index(file: string): Promise<IndexResult> {
    return this.submit({ kind: 'index', id: this.nextId++, job: { path: file } });
  }

  setModels(entries: Array<[string, ModelFact[]]>): void {
    // Every worker is idle between the two passes, and messages are handled in order.
    for (const slot of this.slots) slot.worker.postMessage({ kind: 'models', entries } satisfies ToWorker);
  }

  lint(job: LintJob): Promise<LintOutcome> {
    return this.submit({ kind: 'lint', id: this.nextId++, job }, this.owner.get(job.path));
  }

  /**
   * Each worker is asked to end once its jobs are done (it may write its code cache then), and
   * terminated if it has not within CLOSE_GRACE_MS.
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void s.worker.terminate().then(() => resolve()), CLOSE_GRACE_MS);
            s.worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            s.worker.postMessage({ kind: 'close' } satisfies ToWorker);
          }),
      ),
    );
  }
}
