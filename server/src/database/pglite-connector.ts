/**
 * Embedded PostgreSQL (PGlite) in a child process, started on the first statement and stopped
 * after a while without any. PGlite cannot interrupt a running statement, so a timeout or a
 * cancel kills the child; the next statement starts a new one on the same data directory.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { explainStatement, planFromExplainRows, type Connector, type ExplainOptions, type QueryResult, type RawPlan, type StatementOptions } from './connector';
import { QueryCancelledError, QueryTimeoutError, ReadOnlyError } from './database-errors';
import type { HostReply, HostRequest } from './pglite-protocol';

export interface PgliteConnectorOptions {
  /** PGlite's data directory (created on first start). */
  dataDir: string;
  timeoutMs: number;
  /** Stop the host after this long without a statement. */
  idleMs?: number;
  /**
   * An archive of a blank data directory (`PGlite.dumpDataDir`): a new data directory is unpacked
   * from it instead of running initdb (about a second instead of four), and the host writes it when
   * it is missing.
   */
  templateFile?: string;
  /** The host entry; by default `pglite-host.js` beside this module (the bundle, or tsc's output). */
  hostScript?: string;
  log?: (message: string) => void;
}

type Request = HostRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve(reply: Extract<HostReply, { ok: true }>): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

interface Host {
  child: ChildProcess;
  ready: Promise<void>;
  pending: Map<number, Pending>;
  stderr: string[];
  stopping: boolean;
}

/** Why the host stopped, for the `stopped` event. */
export type StopReason = 'idle' | 'closed' | 'killed' | 'exited';

const READ_ONLY_SQL_TRANSACTION = '25006';
const DEFAULT_IDLE_MS = 5 * 60_000;

export class PgliteConnector extends EventEmitter implements Connector {
  readonly kind = 'pglite';
  readonly description = 'embedded PostgreSQL (PGlite)';
  readonly maxConcurrency = 1;
  private host?: Host;
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: PgliteConnectorOptions) {
    super();
  }

  /** Whether the child process is running now. */
  get running(): boolean {
    return this.host !== undefined;
  }

  /** The host's process id, while it runs. */
  get pid(): number | undefined {
    return this.host?.child.pid;
  }

  async run(sql: string, options: StatementOptions = {}): Promise<QueryResult> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const reply = await this.request(
      { type: 'query', sql, params: options.params ?? [], readOnly: !options.allowWrites, rollback: !options.allowWrites || !!options.rollback, timeoutMs },
      timeoutMs,
    );
    return { rows: reply.rows, rowCount: reply.rowCount };
  }

  async explain(sql: string, options: ExplainOptions = {}): Promise<RawPlan> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    // Always rolled back: EXPLAIN ANALYZE executes the statement, writes included.
    const reply = await this.request(
      { type: 'query', sql: explainStatement(sql, !!options.analyze), params: options.params ?? [], readOnly: !options.allowWrites, rollback: true, timeoutMs, setup: options.setup },
      timeoutMs,
    );
    return planFromExplainRows(reply.rows);
  }

  async describeParams(sql: string, options: { timeoutMs?: number } = {}): Promise<string[]> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const reply = await this.request({ type: 'describe', sql, timeoutMs }, timeoutMs);
    return (reply.rows[0]?.types as string[] | undefined) ?? [];
  }

  async execScript(sql: string, options: { timeoutMs?: number } = {}): Promise<void> {
    await this.request({ type: 'script', sql }, options.timeoutMs ?? this.options.timeoutMs);
  }

  async cancel(): Promise<void> {
    const host = this.host;
    if (!host || host.pending.size === 0) return;
    this.kill(host, () => new QueryCancelledError('the embedded database was restarted to stop it'));
  }

  /** Stops the host cleanly (PGlite flushes its data directory); it starts again on demand. */
  async stop(reason: StopReason = 'closed'): Promise<void> {
    const host = this.host;
    if (!host) return;
    clearTimeout(this.idleTimer);
    host.stopping = true;
    const exited = new Promise<void>((resolve) => host.child.once('exit', () => resolve()));
    try {
      await this.send(host, { type: 'close' }, undefined);
    } catch {
      host.child.kill('SIGKILL');
    }
    await exited;
    if (this.host === host) this.host = undefined;
    this.emit('stopped', reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stop('closed');
  }

  private async request(request: Request, timeoutMs: number): Promise<Extract<HostReply, { ok: true }>> {
    if (this.closed) throw new Error('The embedded database connector is closed.');
    clearTimeout(this.idleTimer);
    try {
      return await this.send(this.ensureHost(), request, timeoutMs);
    } finally {
      this.scheduleIdleStop();
    }
  }

  /**
   * Registers the request at once, so that a cancel or a crash while the host is still starting
   * rejects it too, and sends it when the host is ready. The timeout counts from the send: start-up
   * is not the statement's time.
   */
  private send(host: Host, request: Request, timeoutMs: number | undefined): Promise<Extract<HostReply, { ok: true }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject };
      host.pending.set(id, pending);
      host.ready.then(
        () => {
          if (host.pending.get(id) !== pending) return;
          if (timeoutMs !== undefined) {
            pending.timer = setTimeout(() => {
              this.kill(host, (other) => (other === id ? new QueryTimeoutError(timeoutMs, 'the embedded database was restarted to stop it') : new Error('The embedded database was restarted because another statement timed out.')));
            }, timeoutMs);
          }
          host.child.send({ ...request, id } as HostRequest, (e) => {
            if (!e) return;
            host.pending.delete(id);
            clearTimeout(pending.timer);
            reject(e);
          });
        },
        (e: Error) => {
          host.pending.delete(id);
          reject(e);
        },
      );
    });
  }

  private ensureHost(): Host {
    if (this.host) return this.host;
    const script = this.options.hostScript ?? path.join(__dirname, 'pglite-host.js');
    // execArgv cleared: an inspector flag of the parent would make the child wait for a debugger.
    const child = fork(script, [this.options.dataDir, ...(this.options.templateFile ? [this.options.templateFile] : [])], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced', execArgv: [] });
    const host: Host = { child, pending: new Map(), stderr: [], stopping: false, ready: Promise.resolve() };
    host.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (reply: HostReply) => {
        if ('type' in reply) {
          if (reply.type === 'ready') resolve();
          else reject(new Error(`The embedded database did not start: ${reply.message}`));
          return;
        }
        const pending = host.pending.get(reply.id);
        if (!pending) return;
        host.pending.delete(reply.id);
        clearTimeout(pending.timer);
        if (reply.ok) pending.resolve(reply);
        else pending.reject(reply.code === READ_ONLY_SQL_TRANSACTION ? new ReadOnlyError(reply.message) : Object.assign(new Error(reply.message), { code: reply.code }));
      });
      child.on('exit', (code, signal) => {
        const why = `The embedded database stopped (${signal ?? `exit code ${code}`})${host.stderr.length ? `: ${host.stderr.join('').trim().split('\n').slice(-3).join(' ')}` : ''}`;
        reject(new Error(why));
        for (const p of host.pending.values()) {
          clearTimeout(p.timer);
          p.reject(new Error(why));
        }
        host.pending.clear();
        if (this.host === host) {
          this.host = undefined;
          if (!host.stopping) this.emit('stopped', 'exited');
        }
      });
    });
    // A rejected start is reported to the request that waits on it; this keeps it from being "unhandled".
    host.ready.catch(() => {});
    child.stderr?.on('data', (chunk: Buffer) => {
      host.stderr.push(chunk.toString());
      if (host.stderr.length > 20) host.stderr.shift();
    });
    this.host = host;
    this.emit('started', child.pid);
    this.options.log?.(`embedded database starting (pid ${child.pid})`);
    return host;
  }

  /** Kills the host now; every pending request rejects with the error `errorFor(id)` gives. */
  private kill(host: Host, errorFor: (id: number) => Error): void {
    host.stopping = true;
    for (const [id, p] of host.pending) {
      clearTimeout(p.timer);
      p.reject(errorFor(id));
    }
    host.pending.clear();
    host.child.kill('SIGKILL');
    if (this.host === host) this.host = undefined;
    this.emit('stopped', 'killed');
  }

  private scheduleIdleStop(): void {
    clearTimeout(this.idleTimer);
    const host = this.host;
    if (!host || host.pending.size > 0) return;
    this.idleTimer = setTimeout(() => void this.stop('idle'), this.options.idleMs ?? DEFAULT_IDLE_MS);
    // An idle timer alone must not keep the CLI (or a test run) alive.
    this.idleTimer.unref();
  }
}
