import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mergeSettings } from '../../server/src/engine/config';
import { WorkerPool } from '../../server/src/workers/lint-pool';
import { WorkspaceIndex, type IndexResult, type IndexWorkers } from '../../server/src/engine/workspace-index';
import { REPO_ROOT, testEngine } from '../harness/engine';

describe('WorkspaceIndex', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-index-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.mkdirSync(path.join(root, 'node_modules/x'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/posts.ts'), "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const all = () => prisma.post.findMany();\n");
    fs.writeFileSync(path.join(root, 'src/views.py'), 'from .models import Post\n\ndef index(request):\n    return Post.objects.filter(published=True)\n');
    fs.writeFileSync(path.join(root, 'src/q.sql'), 'SELECT * FROM comments;\n');
    fs.writeFileSync(path.join(root, 'src/blob.sql'), Buffer.from([0, 1, 2, 3]));
    fs.writeFileSync(path.join(root, 'node_modules/x/index.js'), 'prisma.user.findMany()');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('indexes the workspace with progress, skipping dependencies and binary files with a reason', async () => {
    const logs: string[] = [];
    const index = new WorkspaceIndex(await testEngine(), (m) => logs.push(m));
    const progress: Array<[number, number | undefined]> = [];
    assert.equal(await index.build(root, mergeSettings(), (p) => progress.push([p.done, p.total]), () => false), true);
    assert.equal(index.size, 3);
    assert.deepEqual(progress[0], [0, 4]);
    assert.deepEqual(progress[progress.length - 1], [4, 4]);
    assert.deepEqual(index.summary(path.join(root, 'src/posts.ts'))?.models, ['post']);
    assert.deepEqual(index.filesTouching('Post').sort(), [path.join(root, 'src/posts.ts'), path.join(root, 'src/views.py')]);
    assert.deepEqual(index.filesTouching('comments'), [path.join(root, 'src/q.sql')]);
    assert.ok(logs.some((l) => /blob\.sql skipped \(binary file\)/.test(l)));
  });

  it('reads models from schema.prisma and from TypeORM, Sequelize and Mongoose files', async () => {
    fs.writeFileSync(path.join(root, 'schema.prisma'), 'model User {\n  id    Int    @id\n  posts Post[]\n}\nmodel Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n');
    fs.writeFileSync(path.join(root, 'src/entities.ts'), "import { Entity, ManyToOne } from 'typeorm';\n@Entity()\nexport class Article {\n  @ManyToOne(() => Writer, { eager: true }) writer!: Writer;\n}\n");
    fs.writeFileSync(path.join(root, 'src/models.js'), "const { DataTypes } = require('sequelize');\nComment.belongsTo(Story, { as: 'story' });\n");
    fs.writeFileSync(path.join(root, 'src/story.ts'), "import mongoose from 'mongoose';\nconst StorySchema = new mongoose.Schema({ fans: [{ type: mongoose.Schema.Types.ObjectId, ref: 'Fan' }] });\nexport const Story = mongoose.model('Story', StorySchema);\n");
    const index = new WorkspaceIndex(await testEngine(), () => {});
    await index.build(root, mergeSettings(), () => {}, () => false);
    assert.deepEqual(index.models.relation('Post', 'author', 'prisma'), { field: 'author', kind: 'to-one', target: 'User', foreignKey: ['authorId'], references: ['id'], orm: 'prisma', model: 'Post' });
    assert.equal(index.models.relation('User', 'posts', 'prisma')?.kind, 'to-many');
    assert.equal(index.models.relation('Article', 'writer', 'typeorm')?.eager, true);
    assert.equal(index.models.relation('Comment', 'story', 'sequelize')?.aliased, true);
    assert.equal(index.models.relation('Story', 'fans', 'mongoose')?.target, 'Fan');
    // The schema feeds the models only: it is no linted file.
    assert.equal(index.summary(path.join(root, 'schema.prisma')), undefined);
    index.remove(path.join(root, 'schema.prisma'));
    assert.equal(index.models.relation('Post', 'author', 'prisma'), undefined);
  });

  it('updates and removes files, and stops when cancelled', async () => {
    const index = new WorkspaceIndex(await testEngine(), () => {});
    assert.equal(await index.build(root, mergeSettings(), () => {}, () => true), false);
    const file = path.join(root, 'src/q.sql');
    index.update(file, 'SELECT * FROM users;');
    assert.deepEqual(index.summary(file)?.models, ['users']);
    index.remove(file);
    assert.equal(index.summary(file), undefined);
  });

  describe('with worker threads', () => {
    const workerScript = path.join(REPO_ROOT, 'out/server/src/workers/lint-worker.js');
    const writeModels = () => {
      fs.writeFileSync(path.join(root, 'schema.prisma'), 'model User {\n  id    Int    @id\n  posts Post[]\n}\nmodel Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n');
      fs.writeFileSync(path.join(root, 'src/models.py'), 'from django.db import models\n\nclass Author(models.Model):\n    name = models.CharField(max_length=100)\n\nclass Book(models.Model):\n    author = models.ForeignKey(Author, on_delete=models.CASCADE)\n');
      fs.writeFileSync(path.join(root, 'src/repo.ts'), "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function loadUser(id: number) {\n  return prisma.user.findUnique({ where: { id } });\n}\n");
    };
    /** What a test can compare of an index: summaries, models, helpers. */
    const picture = (index: WorkspaceIndex) => ({
      files: ['src/posts.ts', 'src/views.py', 'src/q.sql', 'src/models.py', 'src/repo.ts', 'src/blob.sql'].map((f) => index.summary(path.join(root, f))),
      prisma: index.models.relation('Post', 'author', 'prisma'),
      django: index.models.relation('Book', 'author', 'django'),
      helper: index.functions.lookup(path.join(root, 'src/app.ts'), './repo', 'loadUser'),
    });

    it('records the same index as the server\'s own thread, logging skipped files', async () => {
      writeModels();
      const alone = new WorkspaceIndex(await testEngine(), () => {});
      await alone.build(root, mergeSettings(), () => {}, () => false);
      const logs: string[] = [];
      const threaded = new WorkspaceIndex(await testEngine(), (m) => logs.push(m));
      let pool: WorkerPool | undefined;
      const progress: number[] = [];
      const complete = await threaded.build(root, mergeSettings(), (p) => progress.push(p.done), () => false, () => (pool = new WorkerPool(workerScript, 2, { settings: mergeSettings(), root }, (m) => logs.push(m))));
      assert.equal(complete, true);
      assert.ok(pool, 'the workers were asked for');
      assert.equal(threaded.size, alone.size);
      assert.deepEqual(picture(threaded), picture(alone));
      assert.ok(picture(alone).helper, 'the helper is known (the comparison is not of two empty indexes)');
      assert.ok(logs.some((l) => /blob\.sql skipped \(binary file\)/.test(l)), logs.join('\n'));
      assert.equal(progress[progress.length - 1], 7);
    });

    it('indexes the rest on its own thread when a worker fails', async () => {
      writeModels();
      const logs: string[] = [];
      const index = new WorkspaceIndex(await testEngine(), (m) => logs.push(m));
      let closed = false;
      const failing: IndexWorkers = { index: () => Promise.reject(new Error('worker ran out of memory')), close: async () => void (closed = true) };
      assert.equal(await index.build(root, mergeSettings(), () => {}, () => false, () => failing), true);
      assert.equal(closed, true, 'the failed workers are closed');
      assert.ok(logs.some((l) => /a worker failed \(worker ran out of memory\); indexing the remaining 6 files/.test(l)), logs.join('\n'));
      const alone = new WorkspaceIndex(await testEngine(), () => {});
      await alone.build(root, mergeSettings(), () => {}, () => false);
      assert.deepEqual(picture(index), picture(alone));
    });

    it('keeps what changed on disk while a worker was busy over the worker\'s older result', async () => {
      const logs: string[] = [];
      const index = new WorkspaceIndex(await testEngine(), (m) => logs.push(m));
      const q = path.join(root, 'src/q.sql');
      const slow: IndexWorkers = {
        async index(file): Promise<IndexResult> {
          if (file !== q) return undefined;
          // The file changes (the watcher's update) before the worker's answer arrives.
          index.update(q, 'SELECT * FROM users;');
          return { hash: 'old', models: [], queryHelpers: [], effectHelpers: [], routes: [], serializers: [], queries: 0, sqlStatements: 1, touched: ['comments'] };
        },
        close: async () => {},
      };
      await index.build(root, mergeSettings(), () => {}, () => false, () => slow);
      assert.deepEqual(index.summary(q)?.models, ['users']);
    });

    it('stops handing out files when cancelled, and closes the workers', async () => {
      fs.mkdirSync(path.join(root, 'many'));
      for (let i = 0; i < 600; i++) fs.writeFileSync(path.join(root, `many/f${i}.sql`), 'SELECT 1;\n');
      let closed = false;
      let asked = 0;
      let cancelled = false;
      // The first answer comes after the user cancelled.
      const workers: IndexWorkers = { index: async () => ((cancelled = true), asked++, undefined), close: async () => void (closed = true) };
      const index = new WorkspaceIndex(await testEngine(), () => {});
      assert.equal(await index.build(root, mergeSettings(), () => {}, () => cancelled, () => workers), false);
      assert.equal(closed, true);
      assert.ok(asked < 600, `${asked} files handed out`);
    });
  });
});
