/**
 * Settings per document: `perflens.*` pulled from the client with the document as scope, merged
 * over the workspace's `.perflens.json`. Cached per URI until the configuration or the file changes.
 */
import type { Connection } from 'vscode-languageserver';
import { mergeSettings, readConfigFile } from './engine/config';
import type { PerflensSettings } from './protocol';

export class SettingsStore {
  private readonly cache = new Map<string, Promise<PerflensSettings>>();
  private fileLayer?: Partial<PerflensSettings>;
  /** Bumped on every change, so cached analyses know they are stale. */
  generation = 0;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
    private readonly root: () => string | undefined,
    private readonly log: (m: string) => void,
  ) {}

  private configFile(): Partial<PerflensSettings> {
    const root = this.root();
    return (this.fileLayer ??= root ? readConfigFile(root, this.log) : {});
  }

  forDocument(uri: string): Promise<PerflensSettings> {
    let entry = this.cache.get(uri);
    if (!entry) {
      entry = (async () => {
        let client: Partial<PerflensSettings> | undefined;
        if (this.canPull()) {
          try {
            client = (await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'perflens' })) ?? undefined;
          } catch (e) {
            this.log(`could not read settings for ${uri}: ${(e as Error).message}`);
          }
        }
        return mergeSettings(this.configFile(), client && typeof client === 'object' ? client : undefined);
      })();
      this.cache.set(uri, entry);
    }
    return entry;
  }

  /** The client's settings or `.perflens.json` changed. */
  invalidate(): void {
    this.cache.clear();
    this.fileLayer = undefined;
    this.generation++;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
