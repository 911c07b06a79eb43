/**
 * A workspace written to a temp folder for the schema tests, and the embedded database built from
 * it (small data, its own cache folder), removed afterwards.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../server/src/database/embedded-database';
import { REPO_ROOT } from '../harness/engine';

export class SchemaWorkspace {
  root = '';
  cacheDir = '';
  private db?: EmbeddedDatabase;

  constructor(private readonly prefix: string) {}

  /** Writes the files (paths relative to the root). */
  create(files: Record<string, string>): void {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `perflens-${this.prefix}-`));
    this.cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), `perflens-${this.prefix}-cache-`));
    for (const [file, text] of Object.entries(files)) this.write(file, text);
  }

  write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(this.root, file)), { recursive: true });
    fs.writeFileSync(path.join(this.root, file), text);
  }

  remove(file: string): void {
    fs.rmSync(path.join(this.root, file), { recursive: true, force: true });
  }

  /** The embedded database of the workspace, `dataSize` rows for the biggest tables (the one opened before is closed). */
  async open(dataSize = 2_000): Promise<EmbeddedDatabase> {
    await this.db?.connector.close();
    this.db = await openEmbeddedDatabase({ root: this.root, cacheDir: this.cacheDir, dataSize, timeoutMs: 20_000, hostScript: path.join(REPO_ROOT, 'server/out/pglite-host.js') });
    return this.db;
  }

  async dispose(): Promise<void> {
    await this.db?.connector.close();
    fs.rmSync(this.root, { recursive: true, force: true });
    fs.rmSync(this.cacheDir, { recursive: true, force: true });
  }
}
