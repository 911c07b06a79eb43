/**
 * A young-generation collection while the editor is idle, after an analysis. Re-linting a large
 * file allocates a few MB (its new statements' nodes and the whole file's facts), about what the
 * server's 4 MB semi-spaces hold (SERVER_PROCESS), so most edits used to run a scavenge of their
 * own, and the edits that did were the slowest ones (the p95). Collected between keystrokes
 * instead, each analysis starts with an empty young generation. Needs `gc` (--expose-gc, which
 * the server is started with); without it, V8 collects when it will.
 */
const IDLE_MS = 15;

type Gc = (options?: { type?: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

export class IdleCollector {
  private timer?: NodeJS.Timeout;
  private readonly gc = (globalThis as { gc?: Gc }).gc;

  /** An analysis is starting: no collection in its middle. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** An analysis ended: collect if nothing else starts within IDLE_MS. */
  schedule(): void {
    if (!this.gc) return;
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.gc!({ type: 'minor' });
    }, IDLE_MS);
    this.timer.unref();
  }
}
