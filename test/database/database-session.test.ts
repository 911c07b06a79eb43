/**
 * The server's open databases: shared by commands, and after files change, the embedded database
 * of the workspace's current schema, the old one closed once no command uses it.
 */
import * as assert from 'node:assert/strict';
import type { Connector } from '../../server/src/database/connector';
import { DatabaseSession } from '../../server/src/database/database-session';
import type { EmbeddedSchema } from '../../server/src/database/embedded-database';
import type { DatabaseSettings, OpenedDatabase } from '../../server/src/database/open-database';

/** Openers that record what they did; the workspace's schema key is `key`. */
class FakeOpeners {
  key = 'schema-1';
  opened: Array<{ schemaKey?: string; closed: boolean; readSchema: boolean }> = [];
  schemaReads = 0;
  failNext = false;

  async open(settings: DatabaseSettings, schema?: EmbeddedSchema): Promise<OpenedDatabase> {
    await Promise.resolve();
    if (this.failNext) {
      this.failNext = false;
      throw new Error('cannot open');
    }
    const record = { schemaKey: settings.url ? undefined : schema?.key ?? this.key, closed: false, readSchema: !!schema };
    this.opened.push(record);
    const connector = { close: async () => void (record.closed = true) } as unknown as Connector;
    return { connector, notes: [], schemaKey: record.schemaKey };
  }

  async schemaOf(_settings?: DatabaseSettings): Promise<EmbeddedSchema> {
    this.schemaReads++;
    await Promise.resolve();
    return { schema: { statements: [], files: [] }, key: this.key };
  }
}

const EMBEDDED: DatabaseSettings = { root: '/ws', cacheDir: '/cache', dataSize: 100, timeoutMs: 1_000 };

describe('database: the server session of open databases', () => {
  let fake: FakeOpeners;
  let session: DatabaseSession;
  beforeEach(() => {
    fake = new FakeOpeners();
    session = new DatabaseSession({ open: (s, schema) => fake.open(s, schema), schemaOf: (s) => fake.schemaOf(s) });
  });

  it('commands share one database, opened once, and the schema is not read again while no file changed', async () => {
    const [a, b] = await Promise.all([session.acquire(EMBEDDED), session.acquire(EMBEDDED)]);
    const c = await session.acquire(EMBEDDED);
    assert.equal(fake.opened.length, 1);
    assert.equal(a.database, b.database);
    assert.equal(a.database, c.database);
    assert.equal(fake.schemaReads, 0);
  });

  it('files changed but not the schema: read once for the commands that follow, the same database kept', async () => {
    const first = await session.acquire(EMBEDDED);
    first.release();
    session.schemaChanged();
    session.schemaChanged();
    const [a, b] = await Promise.all([session.acquire(EMBEDDED), session.acquire(EMBEDDED)]);
    await session.acquire(EMBEDDED);
    assert.equal(fake.schemaReads, 1);
    assert.equal(a.database, first.database);
    assert.equal(b.database, first.database);
    assert.equal(fake.opened[0].closed, false);
  });

  it('a changed schema: the next command waits for the commands on the old database, which is closed before the new one opens', async () => {
    const running = await session.acquire(EMBEDDED);
    fake.key = 'schema-2';
    session.schemaChanged();
    let next: Awaited<ReturnType<DatabaseSession['acquire']>> | undefined;
    const pending = session.acquire(EMBEDDED).then((l) => (next = l));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(next, undefined, 'a benchmark still runs on the old database');
    assert.equal(fake.opened.length, 1);
    running.release();
    running.release();
    await pending;
    assert.equal(next!.database.schemaKey, 'schema-2');
    assert.equal(fake.opened.length, 2);
    assert.equal(fake.opened[1].readSchema, true, 'the schema read for the comparison is the one opened');
    assert.equal(fake.opened[0].closed, true);
    assert.equal(fake.opened[1].closed, false);
    assert.equal((await session.acquire(EMBEDDED)).database, next!.database);
  });

  it('a schema that cannot be read keeps the open database, and is read without the command\'s cancellation', async () => {
    const first = await session.acquire(EMBEDDED);
    first.release();
    session.schemaChanged();
    let cancellable: unknown = 'not called';
    fake.schemaOf = async function (this: FakeOpeners, settings?: DatabaseSettings) {
      cancellable = settings?.isCancelled;
      throw new Error('unreadable');
    } as FakeOpeners['schemaOf'];
    const again = await session.acquire({ ...EMBEDDED, isCancelled: () => true });
    assert.equal(again.database, first.database);
    assert.equal(cancellable, undefined);
    assert.equal(fake.opened[0].closed, false);
  });

  it('an embedded database removed from the shared cache (another window) is opened again', async () => {
    const first = await session.acquire(EMBEDDED);
    first.release();
    let present = true;
    first.database.available = () => present;
    present = false;
    const again = await session.acquire(EMBEDDED);
    assert.notEqual(again.database, first.database);
    assert.equal(fake.opened[0].closed, true);
  });

  it('an idle old database is closed before the new one opens (a derived database copies a stopped one)', async () => {
    (await session.acquire(EMBEDDED)).release();
    fake.key = 'schema-2';
    session.schemaChanged();
    const order: string[] = [];
    const open = fake.open.bind(fake);
    fake.open = async (s, schema) => {
      order.push(`open, old closed: ${fake.opened[0].closed}`);
      return open(s, schema);
    };
    await session.acquire(EMBEDDED);
    assert.deepEqual(order, ['open, old closed: true']);
  });

  it('a configured URL is never compared with the workspace schema', async () => {
    const url = { ...EMBEDDED, url: 'postgres://localhost/app' };
    const a = await session.acquire(url);
    session.schemaChanged();
    const b = await session.acquire(url);
    assert.equal(a.database, b.database);
    assert.equal(fake.schemaReads, 0);
  });

  it('a failed open is not kept, before or after a schema change', async () => {
    fake.failNext = true;
    await assert.rejects(session.acquire(EMBEDDED), /cannot open/);
    const opened = await session.acquire(EMBEDDED);
    opened.release();
    fake.key = 'schema-2';
    session.schemaChanged();
    fake.failNext = true;
    await assert.rejects(session.acquire(EMBEDDED), /cannot open/);
    const again = await session.acquire(EMBEDDED);
    assert.notEqual(again.database, opened.database);
    assert.equal(again.database.schemaKey, 'schema-2');
  });

  it('closeAll closes every open database', async () => {
    await session.acquire(EMBEDDED);
    await session.acquire({ ...EMBEDDED, url: 'postgres://localhost/app' });
    await session.closeAll();
    assert.deepEqual(fake.opened.map((o) => o.closed), [true, true]);
  });
});
