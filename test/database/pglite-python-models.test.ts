/**
 * The embedded database built from the Python demo apps' models (Django and SQLAlchemy) and from a
 * Peewee project, filled with generated rows, and EXPLAIN against their tables (a Peewee query
 * translated from the code). Plan shapes and names only, no timings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../server/src/database/embedded-database';
import { explainQuery } from '../../server/src/database/explain';
import { allNodes } from '../../server/src/database/plan-tree';
import { REPO_ROOT } from '../harness/engine';
import { translateIn } from './orm-sql/translate';

const HOST = path.join(REPO_ROOT, 'server/out/pglite-host.js');

describe('database: embedded PostgreSQL from Django and SQLAlchemy models', function () {
  this.timeout(180_000);
  let cacheDir: string;
  const opened: EmbeddedDatabase[] = [];
  const open = async (example: string): Promise<EmbeddedDatabase> => {
    const db = await openEmbeddedDatabase({ root: path.isAbsolute(example) ? example : path.join(REPO_ROOT, 'examples', example), cacheDir, dataSize: 2_000, timeoutMs: 20_000, hostScript: HOST });
    opened.push(db);
    return db;
  };

  before(() => {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-pymodels-cache-'));
  });
  after(async () => {
    for (const db of opened) await db.connector.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('examples/django-blog: the tables Django creates, filled, and a plan on them', async () => {
    const db = await open('django-blog');
    assert.deepEqual(db.warnings, []);
    assert.deepEqual(db.schemaFiles, ['blog/models.py']);
    // Referenced tables get a tenth of the data size; duplicate (post, tag) pairs are dropped by the unique constraint.
    const { blog_post_tags: links, auth_group_permissions: a, auth_user_groups: b, auth_user_user_permissions: c, ...rest } = db.rows;
    // With the tables of the Django apps INSTALLED_APPS names (contenttypes, auth).
    assert.deepEqual(rest, { blog_author: 200, blog_tag: 200, blog_post: 200, django_content_type: 200, auth_permission: 200, auth_group: 200, auth_user: 200 });
    for (const n of [links, a, b, c]) assert.ok(n > 1_000 && n <= 2_000, String(n));
    const indexes = await db.connector.run("SELECT indexname FROM pg_indexes WHERE tablename = 'blog_post' ORDER BY indexname");
    assert.deepEqual(
      indexes.rows.map((r) => r.indexname),
      ['blog_post_author_id_dd7a8485', 'blog_post_created_at_6c5db3cc', 'blog_post_created_cea660_idx', 'blog_post_pkey'],
    );
    const result = await explainQuery(db.connector, 'SELECT p.id, p.title, a.name FROM blog_post p JOIN blog_author a ON a.id = p.author_id WHERE p.author_id = $1 ORDER BY p.created_at DESC LIMIT 20', { analyze: true });
    assert.deepEqual(result.paramSources, ['sampled from blog_post.author_id']);
    assert.equal(result.plan.root.nodeType, 'Limit');
    const relations = new Set([...allNodes(result.plan.root)].map((n) => n.relation).filter(Boolean));
    assert.deepEqual([...relations].sort(), ['blog_author', 'blog_post']);
  });

  it('examples/fastapi-sqlalchemy: the tables create_all() makes, and an index=True column used by the plan', async () => {
    const db = await open('fastapi-sqlalchemy');
    assert.deepEqual(db.warnings, []);
    assert.deepEqual(db.schemaFiles, ['app/models.py']);
    assert.deepEqual(db.rows, { owners: 200, items: 2_000 });
    const orphans = await db.connector.run('SELECT count(*)::int AS n FROM items i LEFT JOIN owners o ON o.id = i.owner_id WHERE o.id IS NULL');
    assert.equal(orphans.rows[0].n, 0);
    const result = await explainQuery(db.connector, 'SELECT * FROM items WHERE title = $1');
    const scan = [...allNodes(result.plan.root)].find((n) => n.relation === 'items');
    assert.ok(scan, result.summary);
    assert.equal(scan.index, 'ix_items_title', result.summary);
  });

  it('a Peewee project: the tables create_tables() makes, and a query translated from the code planned on the index of its foreign key', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-peewee-'));
    try {
      fs.writeFileSync(path.join(root, 'db.py'), 'from peewee import Model, PostgresqlDatabase\n\ndatabase = PostgresqlDatabase("app")\n\n\nclass BaseModel(Model):\n    class Meta:\n        database = database\n');
      const models = 'import datetime\nfrom peewee import CharField, DateTimeField, ForeignKeyField, TextField\nfrom db import BaseModel\n\n\nclass User(BaseModel):\n    username = CharField(unique=True)\n\n\nclass Tweet(BaseModel):\n    user = ForeignKeyField(User, backref="tweets")\n    message = TextField()\n    created_date = DateTimeField(default=datetime.datetime.now)\n';
      fs.writeFileSync(path.join(root, 'models.py'), models);
      const views = 'from models import Tweet\n\n\ndef timeline(user_id):\n    return list(Tweet.select().where(Tweet.user == user_id).order_by(Tweet.created_date.desc()).limit(20))\n';
      fs.writeFileSync(path.join(root, 'views.py'), views);
      const db = await open(root);
      assert.deepEqual(db.warnings, []);
      assert.deepEqual(db.schemaFiles, ['models.py']);
      assert.deepEqual(db.rows, { user: 200, tweet: 2_000 });
      const indexes = await db.connector.run("SELECT indexname FROM pg_indexes WHERE tablename = 'tweet' ORDER BY indexname");
      assert.deepEqual(indexes.rows.map((r) => r.indexname), ['tweet_pkey', 'tweet_user_id']);
      const { sql } = await translateIn({ [path.join(root, 'db.py')]: fs.readFileSync(path.join(root, 'db.py'), 'utf8'), [path.join(root, 'models.py')]: models, [path.join(root, 'views.py')]: views }, path.join(root, 'views.py'), 'Tweet.select()');
      const result = await explainQuery(db.connector, sql, { analyze: true });
      assert.deepEqual(result.paramSources, ['sampled from tweet.user_id']);
      assert.ok([...allNodes(result.plan.root)].some((n) => n.index === 'tweet_user_id'), result.summary);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
