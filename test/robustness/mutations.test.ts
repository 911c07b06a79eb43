/**
 * Bad input never breaks analysis: every fixture, cut and mangled in deterministic ways (truncations,
 * byte flips, unbalanced brackets, deep nesting, one huge line, binary), goes through every adapter
 * and rule with no exception — not even one the engine would catch and log.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../../server/src/engine/analyze';
import { createPythonParser } from '../../server/src/languages/python/python-language';
import { moduleClasses } from '../../server/src/database/schema/python-classes';
import { peeweeDdl } from '../../server/src/database/schema/peewee-ddl';
import { mikroOrmDdl } from '../../server/src/database/schema/mikro-orm-ddl';
import { translateIn } from '../database/orm-sql/translate';
import { REPO_ROOT, engineLog, lintText, testEngine } from '../harness/engine';

// Every language: TS, Python and SQL queries; schema.prisma, entities, models and DDL.
const FIXTURE_DIRS = ['test/rules/offset-pagination/fixtures', 'test/rules/unindexed-foreign-key/fixtures'].map((d) => path.join(REPO_ROOT, d));

/** A small deterministic generator, so a failure reproduces. */
function* mutations(text: string): Generator<[string, string]> {
  let seed = 42;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % Math.max(1, n));
  for (const cut of [0.1, 0.33, 0.5, 0.77, 0.95]) yield [`truncated at ${cut}`, text.slice(0, Math.floor(text.length * cut))];
  for (let i = 0; i < 8; i++) {
    const chars = [...text];
    for (let j = 0; j < 5; j++) chars[rand(chars.length)] = String.fromCharCode(rand(128));
    yield [`bytes flipped #${i}`, chars.join('')];
  }
  yield ['brackets removed', text.replace(/[)\]}]/g, '')];
  yield ['brackets doubled', text.replace(/[([{]/g, '$&$&')];
  yield ['quotes removed', text.replace(/['"`]/g, '')];
  yield ['deep nesting', '('.repeat(3000) + text + ')'.repeat(3000)];
  yield ['one long line', text.replace(/\n/g, ' ').repeat(20)];
  yield ['binary', '\u0000\u0001\u0002' + text];
  yield ['lone surrogates', text.replace(/e/g, '\ud800')];
}

describe('robustness: mutated fixtures', function () {
  this.timeout(120_000);
  let engine: Engine;
  before(async () => {
    engine = await testEngine();
  });

  for (const [dir, name] of FIXTURE_DIRS.flatMap((d) => fs.readdirSync(d).filter((f) => !f.endsWith('.snap')).map((f) => [d, f] as const))) {
    it(`${name}: no adapter or rule throws on any mutation`, () => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const before = engineLog.length;
      for (const [what, mutated] of mutations(text)) {
        assert.doesNotThrow(() => lintText(engine, mutated, name), what);
        const errors = engineLog.slice(before).filter((l) => /failed|could not analyse/.test(l));
        assert.deepEqual(errors, [], `${what}:\n${errors.join('\n')}`);
      }
    });
  }

  // Each query of a loop once looked at the whole loop body again (which names carry the item):
  // 30,000 queries in one loop took minutes. These run in well under a second now; quadratic
  // again, they would take tens of seconds (no timing is asserted, the suite's timeout bounds it).
  it('a loop of 10,000 queries (Python and TypeScript): one finding per query that uses the item', () => {
    const n = 10_000;
    const py = `from .models import Post\n\ndef view(request):\n    for p in Post.objects.all():\n        q = p.id\n${Array.from({ length: n }, (_, i) => `        Post.objects.filter(id=q + ${i}).first()`).join('\n')}\n    return None\n`;
    const ts = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function h(users: { id: number }[]) {\n  for (const u of users) {\n    const id = u.id;\n${Array.from({ length: n }, (_, i) => `    await prisma.post.findMany({ where: { authorId: id + ${i} } });`).join('\n')}\n  }\n}\n`;
    for (const [code, file] of [[py, 'views.py'], [ts, 'loop.ts']]) {
      const findings = lintText(engine, code, file).findings.filter((f) => f.ruleId === 'n-plus-one');
      assert.equal(findings.length, n, file);
    }
  });

  // The embedded database's readers of Peewee models and MikroORM entities, and their translators,
  // read whatever the files hold: a mangled declaration is left out, it never throws.
  it('Peewee models and MikroORM entities: the DDL readers and translators never throw on any mutation', async () => {
    const models = 'import datetime\nfrom peewee import *\n\n\nclass BaseModel(Model):\n    class Meta:\n        database = db\n\n\nclass User(BaseModel):\n    username = CharField(unique=True, max_length=80)\n\n\nclass Tweet(BaseModel):\n    user = ForeignKeyField(User, backref="tweets", field="id")\n    price = DecimalField(8, 2)\n\n    class Meta:\n        indexes = ((("user", "price"), True),)\n        primary_key = CompositeKey("user", "price")\n';
    const views = 'from .models import Tweet, User\n\n\ndef f(q, page):\n    return Tweet.select(Tweet, User).join(User, on=Tweet.user).where((User.username % q) | (Tweet.price << [1, 2])).order_by(-Tweet.price).paginate(page, 10)\n';
    const entities = "import { Entity, Index, ManyToMany, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';\n\n@Entity({ tableName: 'books' })\n@Index({ properties: ['author', 'title'] })\nexport class Book {\n  @PrimaryKey() id!: number;\n  @Property({ length: 80 }) title!: string;\n  @ManyToOne(() => Author, { nullable: true }) author?: Author;\n  @ManyToMany(() => Book) related = [];\n}\n\n@Entity()\nexport class Author {\n  @PrimaryKey({ type: 'uuid' }) id!: string;\n}\n";
    const service = "import { EntityManager } from '@mikro-orm/core';\nimport { Book } from './entities';\nexport const f = (em: EntityManager, q: string) => em.find(Book, { $or: [{ title: { $ilike: q } }, { author: null }] }, { orderBy: [{ title: 'desc nulls last' }], limit: 5 });\n";
    const parser = await createPythonParser();
    try {
      for (const [what, mutated] of mutations(models)) {
        const tree = parser.parse(mutated);
        if (!tree) continue;
        try {
          assert.doesNotThrow(() => peeweeDdl([{ classes: moduleClasses(tree.rootNode), source: 'models.py' }], new Set(['models.py'])), `Peewee DDL, ${what}`);
          await translateIn({ '/ws/models.py': mutated, '/ws/views.py': views }, '/ws/views.py', 'Tweet.select(').catch((e: Error) => assert.equal(e.name, 'UntranslatableCall', `Peewee translation, ${what}: ${e.stack}`));
        } finally {
          tree.delete();
        }
      }
    } finally {
      parser.delete();
    }
    for (const [what, mutated] of mutations(entities)) {
      assert.doesNotThrow(() => mikroOrmDdl([{ abs: '/ws/entities.ts', rel: 'entities.ts', text: mutated }], new Set()), `MikroORM DDL, ${what}`);
      await translateIn({ '/ws/entities.ts': mutated, '/ws/service.ts': service }, '/ws/service.ts', 'em.find(').catch((e: Error) => assert.equal(e.name, 'UntranslatableCall', `MikroORM translation, ${what}: ${e.stack}`));
    }
  });

  it('a 5 MB single-line file gives no findings and no exception', () => {
    const huge = 'const x = [' + '1,'.repeat(2_600_000) + '];';
    const result = lintText(engine, huge, 'huge.ts');
    assert.deepEqual(result.findings, []);
  });
});
