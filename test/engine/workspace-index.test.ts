import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mergeSettings } from '../../server/src/engine/config';
import { WorkspaceIndex } from '../../server/src/engine/workspace-index';
import { testEngine } from '../harness/engine';

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
});
