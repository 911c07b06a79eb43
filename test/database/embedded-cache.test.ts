/**
 * The embedded database's cache folder: a schema that changed only in its indexes is made from a
 * copy of the cached database (same rows, the indexes created or dropped), any other change is
 * built anew, and the databases used longest ago are removed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { explainQuery } from '../../server/src/database/explain';
import { REPO_ROOT } from '../harness/engine';
import { SchemaWorkspace } from './schema-workspace';

const TABLES = `CREATE TABLE owners (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE items (id serial PRIMARY KEY, owner_id int NOT NULL REFERENCES owners (id), label text NOT NULL);
CREATE INDEX items_label_idx ON items (label);
`;

describe('database: the embedded database cache follows the schema', function () {
  this.timeout(180_000);
  const ws = new SchemaWorkspace('embedded-cache');
  before(() => ws.create({ 'db/schema.sql': TABLES, 'db/queries.sql': 'SELECT * FROM items WHERE owner_id = 3;\n' }));
  after(() => ws.dispose());

  const indexes = async (db: Awaited<ReturnType<SchemaWorkspace['open']>>): Promise<string[]> =>
    (await db.connector.run("SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY indexname")).rows.map((r) => String(r.indexname));
  const count = async (db: Awaited<ReturnType<SchemaWorkspace['open']>>, sql: string): Promise<string> => String((await db.connector.run(sql)).rows[0].n);
  const databases = (): string[] => fs.readdirSync(ws.cacheDir).filter((n) => /^db-[0-9a-f]+$/.test(n)).sort();

  it('a new index migration: a copy of the cached database with the index, the same rows, and the query uses it', async () => {
    const first = await ws.open();
    assert.equal(first.built, true);
    assert.equal(first.derived, undefined);
    // The data loads without the foreign keys' checks: every key still names a parent.
    assert.equal(await count(first, 'SELECT count(*)::int AS n FROM items i LEFT JOIN owners o ON o.id = i.owner_id WHERE o.id IS NULL'), '0');
    // The database started from the blank data directory the build archives beside the host
    // (scripts/bundle.mjs), not from initdb: nothing was archived in the cache.
    assert.ok(fs.statSync(path.join(REPO_ROOT, 'server/out/blank-pgdata.tar.gz')).size > 0);
    assert.ok(!fs.existsSync(path.join(ws.cacheDir, 'blank-pgdata.tar.gz')));
    const checksum = await count(first, 'SELECT sum(owner_id)::text || \'/\' || count(*)::text AS n FROM items');
    const before = await explainQuery(first.connector, 'SELECT * FROM items WHERE owner_id = 3', { analyze: true });
    assert.match(before.summary, /^Seq Scan on items/);

    ws.write('db/migrations/0002_add_items_owner_id_index.sql', 'CREATE INDEX items_owner_id_idx ON items (owner_id);\n');
    const second = await ws.open();
    assert.equal(second.built, true);
    assert.deepEqual(second.derived, { created: 1, dropped: 0 });
    assert.notEqual(second.schemaKey, first.schemaKey);
    assert.deepEqual(await indexes(second), ['items_label_idx', 'items_owner_id_idx', 'items_pkey']);
    assert.equal(await count(second, 'SELECT sum(owner_id)::text || \'/\' || count(*)::text AS n FROM items'), checksum);
    const after = await explainQuery(second.connector, 'SELECT * FROM items WHERE owner_id = 3', { analyze: true });
    assert.match(after.summary, /items_owner_id_idx on items/);
    assert.deepEqual(second.schemaFiles, ['db/migrations/0002_add_items_owner_id_index.sql', 'db/queries.sql', 'db/schema.sql']);
  });

  it('the migration removed again: the first database, from the cache', async () => {
    ws.remove('db/migrations');
    const again = await ws.open();
    assert.equal(again.built, false);
    assert.deepEqual(await indexes(again), ['items_label_idx', 'items_pkey']);
  });

  it('an index dropped and another added in the same change: one copy with both changes', async () => {
    ws.write('db/schema.sql', TABLES.replace('CREATE INDEX items_label_idx ON items (label);', 'CREATE INDEX items_owner_label_idx ON items (owner_id, label);'));
    const db = await ws.open();
    assert.deepEqual(db.derived, { created: 1, dropped: 1 });
    assert.deepEqual(await indexes(db), ['items_owner_label_idx', 'items_pkey']);
    assert.deepEqual(db.warnings, []);
  });

  it('a changed table is built anew, and the cache keeps the databases used last', async () => {
    const hourAgo = Date.now() / 1000 - 3600;
    const used = (name: string, at: number): void => fs.utimesSync(path.join(ws.cacheDir, name, 'perflens-ready.json'), at, at);
    // The three databases so far, last used an hour ago or more; and two older ones of other schemas.
    const [a, b, c] = databases();
    used(a, hourAgo + 60);
    used(b, hourAgo);
    used(c, hourAgo - 1200);
    for (const [fake, at] of [['db-00000000000000aa', hourAgo - 600], ['db-00000000000000bb', hourAgo - 300]] as const) {
      fs.mkdirSync(path.join(ws.cacheDir, fake, 'pgdata'), { recursive: true });
      fs.writeFileSync(path.join(ws.cacheDir, fake, 'perflens-ready.json'), JSON.stringify({ schemaFiles: [], warnings: [], rows: {} }));
      used(fake, at);
    }
    ws.write('db/schema.sql', TABLES.replace('label text NOT NULL', 'label text NOT NULL, price int NOT NULL'));
    const db = await ws.open();
    assert.equal(db.built, true);
    assert.equal(db.derived, undefined);
    assert.equal(await count(db, 'SELECT count(*)::int AS n FROM items WHERE price IS NOT NULL'), '2000');
    assert.deepEqual(databases(), [a, b, 'db-00000000000000bb', `db-${db.schemaKey}`].sort());
  });

  it('a template that does not open (another PGlite wrote it, or a broken file) is replaced: initdb runs', async () => {
    const template = path.join(ws.cacheDir, 'blank-pgdata.tar.gz');
    fs.writeFileSync(template, 'not an archive');
    ws.write('db/schema.sql', TABLES.replace('label text NOT NULL', 'label text NOT NULL, weight int'));
    const db = await ws.open();
    assert.equal(db.built, true);
    assert.equal(await count(db, 'SELECT count(*)::int AS n FROM items'), '2000');
    assert.ok(fs.statSync(template).size > 1000);
  });

  it('a new unique index is built anew: the generated rows may not satisfy it', async () => {
    ws.write('db/migrations/0003_unique.sql', 'CREATE UNIQUE INDEX items_id_label_key ON items (id, label);\n');
    const db = await ws.open();
    assert.equal(db.built, true);
    assert.equal(db.derived, undefined);
    assert.ok((await indexes(db)).includes('items_id_label_key'));
  });
});
