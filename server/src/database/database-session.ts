/**
 * The language server's open databases: one per configuration (URL, or workspace + data size),
 * opened on first use and shared by later commands; closed when the server shuts down. Opening
 * is shared too, so two quick commands do not build the embedded database twice.
 *
 * The embedded database holds the workspace's schema as it was when it was opened. When files
 * change (`schemaChanged`), the next command reads the schema again: if it differs, that command
 * gets the database of the new schema (from the cache, derived from the old one when only indexes
 * changed, or built). The old one is closed first, once the commands using it have finished: a
 * database is derived from a stopped copy, and two hosts never share a data folder. An embedded
 * database another window removed from the shared cache is opened again the same way.
 */
import type { EmbeddedSchema } from './embedded-database';
import { embeddedSchemaOf, openDatabase, type DatabaseSettings, type OpenedDatabase } from './open-database';

/** An open database lent to one command: `release` it when the command is done. */
export interface DatabaseLease {
  database: OpenedDatabase;
  release(): void;
}

interface Slot {
  database: OpenedDatabase;
  /** The `schemaChanged` count when its schema was last compared with the workspace's. */
  checked: number;
  leases: number;
  /** Resolves when no command uses it any more. */
  idle?: { promise: Promise<void>; resolve(): void };
}

export interface DatabaseOpeners {
  open(settings: DatabaseSettings, schema?: EmbeddedSchema): Promise<OpenedDatabase>;
  schemaOf(settings: DatabaseSettings): Promise<EmbeddedSchema>;
}

export class DatabaseSession {
  private readonly open = new Map<string, Promise<Slot>>();
  private changes = 0;

  constructor(private readonly openers: DatabaseOpeners = { open: openDatabase, schemaOf: embeddedSchemaOf }) {}

  /** Files the embedded database's schema may come from changed: the next command compares it again. */
  schemaChanged(): void {
    this.changes++;
  }

  async acquire(settings: DatabaseSettings): Promise<DatabaseLease> {
    const key = JSON.stringify([settings.url ?? '', settings.url ? '' : settings.root, settings.dataSize, settings.timeoutMs, settings.cacheDir]);
    const current = this.open.get(key);
    const changes = this.changes;
    let next: Promise<Slot>;
    if (!current) next = this.openers.open(settings).then((database) => ({ database, checked: changes, leases: 0 }));
    // Chained on the slot before it, so that commands after a change compare the schema once.
    else if (!settings.url) next = current.then((slot) => this.current(slot, settings, changes));
    else next = current;
    if (next !== current) {
      this.open.set(key, next);
      // A failed open (a wrong URL, a cancelled build) is not kept: the next command tries again.
      next.catch(() => {
        if (this.open.get(key) === next) this.open.delete(key);
      });
    }
    const slot = await next;
    slot.leases++;
    slot.database.touch?.();
    let released = false;
    return {
      database: slot.database,
      release: () => {
        if (released) return;
        released = true;
        if (--slot.leases === 0) slot.idle?.resolve();
      },
    };
  }

  /** The slot, or after a change of the workspace's schema (or of its database on disk) one with the database of the schema now. */
  private async current(slot: Slot, settings: DatabaseSettings, changes: number): Promise<Slot> {
    const gone = slot.database.available?.() === false;
    if (slot.checked >= changes && !gone) return slot;
    let schema: EmbeddedSchema;
    try {
      // Shared work: not stopped by the cancellation of the command that happens to run it.
      schema = await this.openers.schemaOf({ ...settings, isCancelled: undefined });
    } catch (e) {
      // The schema cannot be read now: keep what is open, and compare again next time.
      settings.log?.(`database: the workspace schema could not be read (${(e as Error).message}); the open database is kept`);
      if (!gone) return slot;
      throw e;
    }
    if (schema.key === slot.database.schemaKey && !gone) {
      slot.checked = changes;
      return slot;
    }
    settings.log?.(gone ? 'database: the embedded database was removed from the cache; opening it again' : 'database: the workspace schema changed; opening the embedded database of the new schema');
    if (slot.leases > 0) {
      settings.onProgress?.('Waiting for the running database commands to finish');
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      slot.idle = { promise, resolve };
      await promise;
    }
    await close(slot);
    const database = await this.openers.open(settings, schema);
    return { database, checked: changes, leases: 0 };
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((p) => p.then((slot) => close(slot), () => undefined)));
  }
}

function close(slot: Slot): Promise<void> {
  return slot.database.connector.close().catch(() => undefined);
}
