/**
 * The language server's open databases: one per configuration (URL, or workspace + data size),
 * opened on first use and shared by later commands; closed when the server shuts down. Opening
 * is shared too, so two quick commands do not build the embedded database twice.
 */
import type { OpenedDatabase, DatabaseSettings } from './open-database';
import { openDatabase } from './open-database';

export class DatabaseSession {
  private readonly open = new Map<string, Promise<OpenedDatabase>>();

  constructor(private readonly opener: (settings: DatabaseSettings) => Promise<OpenedDatabase> = openDatabase) {}

  get(settings: DatabaseSettings): Promise<OpenedDatabase> {
    const key = JSON.stringify([settings.url ?? '', settings.url ? '' : settings.root, settings.dataSize, settings.timeoutMs, settings.cacheDir]);
    let opened = this.open.get(key);
    if (!opened) {
      opened = this.opener(settings);
      this.open.set(key, opened);
      // A failed open (a wrong URL, a cancelled build) is not kept: the next command tries again.
      opened.catch(() => this.open.delete(key));
    }
    return opened;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((p) => p.then((d) => d.connector.close(), () => undefined)));
  }
}
