/** ORM models read from JS/TS files and schema.prisma: the relations lazy-loading checks rely on. */
import * as assert from 'node:assert/strict';
import { SourceFile } from '../../../server/src/engine/source-file';
import type { ModelFact } from '../../../server/src/languages/facts';
import { prismaSchemaModels } from '../../../server/src/languages/prisma/schema-models';
import { testEngine } from '../../harness/engine';

async function models(code: string, file = '/p/src/models.ts'): Promise<Record<string, string[]>> {
  const facts = (await testEngine()).facts(new SourceFile(file, 'typescript', code));
  return summary(facts?.models ?? []);
}

function summary(ms: readonly ModelFact[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of ms) {
    out[`${m.orm}:${m.name}`] = m.relations.map((r) => `${r.field} ${r.kind} ${r.target}${r.lazy ? ' lazy' : ''}${r.eager ? ' eager' : ''}${r.aliased ? ' aliased' : ''}`);
  }
  return out;
}

describe('TS/JS ORM models', () => {
  it('TypeORM: relation kinds, lazy by Promise type or lazy: true, eager, string targets', async () => {
    const code = `import { Entity, ManyToOne, OneToMany, ManyToMany, OneToOne } from 'typeorm';
@Entity('posts')
export class Post {
  @ManyToOne('User', 'posts') author: Promise<User>;
  @OneToMany((type) => Comment, (c) => c.post, { lazy: true }) comments: Comment[];
  @ManyToMany(() => Tag, { eager: true }) tags: Tag[];
  @OneToOne(() => Cover) cover: Cover;
  title: string;
}
class NotAnEntity { @ManyToOne(() => User) user: Promise<User>; }
`;
    assert.deepEqual(await models(code), {
      'typeorm:Post': ['author to-one User lazy', 'comments to-many Comment lazy', 'tags to-many Tag eager', 'cover to-one Cover'],
    });
  });

  it('MikroORM entities are not read as TypeORM ones', async () => {
    assert.deepEqual(await models(`import { Entity, ManyToOne } from '@mikro-orm/core';\n@Entity()\nexport class Post { @ManyToOne(() => User) author!: User; }\n`), {});
  });

  it('Sequelize: sequelize-cli associate functions, define names, plural aliases', async () => {
    const code = `module.exports = (sequelize, DataTypes) => {
  const Post = sequelize.define('post', { title: DataTypes.STRING });
  const Category = sequelize.define('category', {});
  Post.associate = function (models) {
    Post.belongsTo(models.User, { as: 'author' });
    Post.belongsToMany(Category, { through: 'PostCategories' });
    Post.hasMany(models.Reply, { as: { singular: 'reply', plural: 'replies' } });
    Post.hasOne(models.Cover);
  };
  return Post;
};
`;
    assert.deepEqual(await models(code, '/p/models/post.js'), {
      'sequelize:Post': ['author to-one User aliased', 'categories to-many Category', 'replies to-many Reply aliased', 'Cover to-one Cover'],
      // No association of its own: here for its attributes' types.
      'sequelize:Category': [],
    });
  });

  it('Sequelize: the TypeScript types of the attributes, from the class declarations, else from init/define', async () => {
    const code = `import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes } from 'sequelize';
import { Column, DataType, Table, Model as TsModel } from 'sequelize-typescript';
export class Post extends Model<InferAttributes<Post>, InferCreationAttributes<Post>> {
  declare id: CreationOptional<string>;
  declare authorId: ForeignKey<number>;
  declare title: string;
}
Post.init({
  id: { type: DataTypes.UUID, primaryKey: true },
  views: DataTypes.INTEGER.UNSIGNED,
  slug: DataTypes.STRING(64),
  big: DataTypes.BIGINT,
  publishedOn: DataTypes.DATEONLY,
  draft: { type: DataTypes.BOOLEAN, defaultValue: true },
}, { sequelize });
const Tag = sequelize.define('tag', { name: DataTypes.TEXT });
@Table
export class Comment extends TsModel {
  @Column(DataType.UUID) declare id: string;
  @Column body!: string;
  @Column postedAt?: Date;
}
`;
    const facts = (await testEngine()).facts(new SourceFile('/p/src/models.ts', 'typescript', code));
    const types = Object.fromEntries((facts?.models ?? []).map((m) => [m.name, m.fieldTypes]));
    assert.deepEqual(types, {
      // Declared types first; \`init\` adds the others (BIGINT: text or number by driver, not said), and the timestamps.
      Post: { id: 'string', authorId: 'number', title: 'string', views: 'number', slug: 'string', publishedOn: 'string', draft: 'boolean', createdAt: 'Date', updatedAt: 'Date' },
      // The key Sequelize adds is an integer.
      Tag: { id: 'number', name: 'string', createdAt: 'Date', updatedAt: 'Date' },
      Comment: { id: 'string', body: 'string', postedAt: 'Date' },
    });
  });

  it('Mongoose: refs, arrays of refs, type: [{ ref }], virtual populates, NestJS @Prop classes', async () => {
    const code = `import mongoose, { Schema } from 'mongoose';
import { Prop, Schema as NestSchema } from '@nestjs/mongoose';
const postSchema = new Schema({
  author: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  tags: [{ type: Schema.Types.ObjectId, ref: 'Tag' }],
  likes: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }] },
  title: String,
});
postSchema.virtual('comments', { ref: 'Comment', localField: '_id', foreignField: 'post' });
export const PostModel = mongoose.model('Post', postSchema);
@NestSchema()
export class Cat {
  @Prop({ type: mongoose.Schema.Types.ObjectId, ref: Owner.name }) owner: Owner;
  @Prop() name: string;
}
`;
    assert.deepEqual(await models(code), {
      'mongoose:Cat': ['owner to-one Owner'],
      'mongoose:Post': ['author to-one User', 'tags to-many Tag', 'likes to-many User', 'comments to-many Comment'],
    });
  });

  it("Kysely: the database interface's tables and their columns' select types, written by hand or by kysely-codegen", async () => {
    const facts = async (code: string) => ((await testEngine()).facts(new SourceFile('/p/src/db.ts', 'typescript', code))?.models ?? []).map((m) => [`${m.orm}:${m.name}`, m.fieldTypes]);
    const handWritten = `import type { ColumnType, Generated, JSONColumnType } from 'kysely';
export interface Database { posts: PostTable; 'audit_log': AuditTable }
export interface PostTable {
  id: Generated<string>;
  created_at: ColumnType<Date, string | undefined, never>;
  views: number;
  deleted_at: Date | null;
  meta: JSONColumnType<{ tags: string[] }>;
  state: 'draft' | 'published';
}
interface AuditTable { seq: Generated<bigint> }
`;
    assert.deepEqual(await facts(handWritten), [
      ['kysely:posts', { id: 'string', created_at: 'Date', views: 'number', deleted_at: 'Date' }],
      ['kysely:audit_log', { seq: 'bigint' }],
    ]);
    const codegen = `import type { ColumnType } from "kysely";
export type Generated<T> = T extends ColumnType<infer S, infer I, infer U> ? ColumnType<S, I | undefined, U> : ColumnType<T, T | undefined, T>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export interface Posts { authorId: number | null; createdAt: Generated<Timestamp>; id: Generated<number>; }
export interface DB { posts: Posts; }
`;
    assert.deepEqual(await facts(codegen), [['kysely:posts', { authorId: 'number', createdAt: 'Date', id: 'number' }]]);
    // No database interface: a file of other interfaces (a property typed with a non-interface, or none).
    assert.deepEqual(await facts(`import type { Generated } from 'kysely';
export interface PostTable { id: Generated<number> }
export interface Options { limit: number }
`), []);
  });

  it('schema.prisma: model fields typed with other models, lists, @relation to models of other files', () => {
    const schema = `// blog
model User {
  id    Int     @id
  email String  @unique
  role  Role
  posts Post[]
}

model Post {
  id       Int   @id
  author   User  @relation(fields: [authorId], references: [id])
  authorId Int
  org      Org?  @relation(fields: [orgId], references: [id])
  orgId    Int?
  @@index([authorId])
}

enum Role {
  USER
  ADMIN
}
`;
    assert.deepEqual(summary(prismaSchemaModels(schema)), {
      'prisma:User': ['posts to-many Post'],
      'prisma:Post': ['author to-one User', 'org to-one Org'],
    });
  });
});
