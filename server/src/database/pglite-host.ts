/**
 * Entry point of the child process that runs PGlite (bundled as server/out/pglite-host.js). PGlite
 * takes seconds to start and hundreds of megabytes, and a running query blocks its thread, so it
 * lives here and not in the language server: the parent can kill it to cancel, and it exits when
 * idle. Requests arrive over IPC and are answered in order.
 */
import { PGlite } from '@electric-sql/pglite';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeStatements } from './connector';
import { HOST_DATA_DIR_ARG, HOST_TEMPLATE_ARG, type HostReply, type HostRequest } from './pglite-protocol';

function send(reply: HostReply): void {
  process.send?.(reply);
}

async function handle(db: PGlite, request: HostRequest): Promise<HostReply> {
  switch (request.type) {
    case 'query':
      return db.transaction(async (tx) => {
        // PerfLens's own set-up (an index to try) runs first; READ ONLY may be set after it.
        for (const statement of request.setup ?? []) await tx.exec(statement);
        if (request.readOnly) await tx.exec('SET TRANSACTION READ ONLY');
        // PGlite cannot interrupt itself (no timer signals in WASM), so the parent also enforces
        // the timeout by killing this process; the setting keeps SHOW statement_timeout honest.
        await tx.exec(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(request.timeoutMs))}`);
        const result = await tx.query<Record<string, unknown>>(request.sql, request.params);
        if (request.rollback) await tx.rollback();
        return { id: request.id, ok: true as const, rows: result.rows, rowCount: result.affectedRows || result.rows.length };
      });
    case 'describe':
      return db.transaction(async (tx) => {
        const statements = describeStatements(request.sql);
        await tx.exec(statements.prepare);
        const result = await tx.query<{ types: string[] }>(statements.select);
        await tx.exec(statements.deallocate);
        await tx.rollback();
        return { id: request.id, ok: true as const, rows: result.rows, rowCount: result.rows.length };
      });
    case 'script':
      await db.exec(request.sql);
      return { id: request.id, ok: true, rows: [], rowCount: 0 };
    case 'close':
      await closeOnce(db);
      return { id: request.id, ok: true, rows: [], rowCount: 0 };
  }
}

let closing: Promise<void> | undefined;
function closeOnce(db: PGlite): Promise<void> {
  closing ??= db.close();
  return closing;
}

/** The blank data directory the build archives beside the bundled host. */
const SHIPPED_TEMPLATE = 'blank-pgdata.tar.gz';

/**
 * Opens the data directory. A new one is unpacked from the template when there is one: initdb in
 * WASM, writing through Emscripten's file system, is most of a new database's start. A template
 * that does not open (made by another PGlite: Postgres checks its control file's versions) is
 * removed and initdb runs; after initdb, the blank directory is archived as the next template.
 */
async function openDatabase(dataDir: string, template: string | undefined): Promise<PGlite> {
  const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  // The cache's template, else the one the build made beside this script (scripts/bundle.mjs):
  // the first database on a machine does not wait for initdb either.
  const shipped = path.join(__dirname, SHIPPED_TEMPLATE);
  const source = template && fs.existsSync(template) ? template : template && fs.existsSync(shipped) ? shipped : undefined;
  if (fresh && source) {
    try {
      return await PGlite.create({ dataDir, loadDataDir: new Blob([fs.readFileSync(source)]) });
    } catch (e) {
      process.stderr.write(`the blank database template ${source} did not open (${(e as Error).message}); running initdb\n`);
      if (source === template) fs.rmSync(template, { force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const db = await PGlite.create(dataDir);
  if (fresh && template) {
    try {
      const archive = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
      // Written whole, then renamed: another host never reads half an archive.
      const partial = `${template}.${process.pid}.partial`;
      fs.mkdirSync(path.dirname(template), { recursive: true });
      fs.writeFileSync(partial, archive);
      fs.renameSync(partial, template);
    } catch (e) {
      process.stderr.write(`could not write the blank database template ${template}: ${(e as Error).message}\n`);
    }
  }
  return db;
}

async function main(): Promise<void> {
  const dataDir = process.argv[HOST_DATA_DIR_ARG];
  let db: PGlite;
  try {
    db = await openDatabase(dataDir, process.argv[HOST_TEMPLATE_ARG]);
  } catch (e) {
    send({ type: 'failed', message: (e as Error).message });
    process.exit(1);
  }
  process.on('message', (request: HostRequest) => {
    handle(db, request).then(
      (reply) => {
        send(reply);
        if (request.type === 'close') process.disconnect();
      },
      (e: Error & { code?: string }) => send({ id: request.id, ok: false, message: e.message, code: e.code }),
    );
  });
  // The parent went away (crashed, or closed without a goodbye): nothing else will ask anything.
  process.on('disconnect', () => {
    void closeOnce(db).finally(() => process.exit(0));
  });
  send({ type: 'ready' });
}

void main();
