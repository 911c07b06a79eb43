/** Sequelize models → DDL for the embedded database (a project that calls sequelize.sync(), with no migrations). */
import * as assert from 'node:assert/strict';
import { explainQuery } from '../../server/src/database/explain';
import { loadWorkspaceSchema } from '../../server/src/database/schema/workspace-schema';
import { SchemaWorkspace } from './schema-workspace';

const MODELS = `const { DataTypes, Model } = require('sequelize');
const sequelize = require('../db');

class User extends Model {}
User.init({
  email: { type: DataTypes.STRING(120), allowNull: false, unique: true },
  tags: DataTypes.ARRAY(DataTypes.STRING),
}, { sequelize, modelName: 'User' });

class Post extends Model {}
Post.init({
  title: { type: DataTypes.STRING, allowNull: false },
  publishedAt: { type: DataTypes.DATE, field: 'published_at' },
}, { sequelize, modelName: 'Post', paranoid: true, indexes: [{ fields: ['authorId', 'publishedAt'] }] });

const Comment = sequelize.define('Comment', { body: DataTypes.TEXT }, { underscored: true });
const Tag = sequelize.define('Tag', { name: DataTypes.STRING }, { timestamps: false });

Post.belongsTo(User, { as: 'author' });
User.hasMany(Post, { as: 'posts', foreignKey: 'authorId' });
Post.hasMany(Comment);
Comment.belongsTo(Post);
Post.belongsToMany(Tag, { through: 'PostTags' });
Tag.belongsToMany(Post, { through: 'PostTags' });

module.exports = { User, Post, Comment, Tag };
`;

describe('database: Sequelize models → PostgreSQL DDL', function () {
  this.timeout(180_000);
  const ws = new SchemaWorkspace('sequelize-ddl');
  before(() => ws.create({ 'src/models/index.js': MODELS }));
  after(() => ws.dispose());

  it('tables named the way Sequelize names them, the id and timestamps it adds, and the associations\' keys', async () => {
    const schema = await loadWorkspaceSchema(ws.root);
    assert.deepEqual(schema.files, ['src/models/index.js']);
    assert.deepEqual(schema.statements.map((s) => s.sql), [
      'CREATE TABLE "Users" (\n  "id" serial,\n  "email" varchar(120) NOT NULL UNIQUE,\n  "tags" text,\n  "createdAt" timestamptz NOT NULL,\n  "updatedAt" timestamptz NOT NULL,\n  PRIMARY KEY ("id")\n);',
      'CREATE TABLE "Posts" (\n  "id" serial,\n  "title" varchar(255) NOT NULL,\n  "published_at" timestamptz,\n  "createdAt" timestamptz NOT NULL,\n  "updatedAt" timestamptz NOT NULL,\n  "deletedAt" timestamptz,\n  "authorId" integer,\n  PRIMARY KEY ("id")\n);',
      'CREATE TABLE "comments" (\n  "id" serial,\n  "body" text,\n  "created_at" timestamptz NOT NULL,\n  "updated_at" timestamptz NOT NULL,\n  "post_id" integer,\n  PRIMARY KEY ("id")\n);',
      'CREATE TABLE "Tags" (\n  "id" serial,\n  "name" varchar(255),\n  PRIMARY KEY ("id")\n);',
      // The join table Sequelize makes for belongsToMany: timestamps, and the two keys as the primary key.
      'CREATE TABLE "PostTags" (\n  "createdAt" timestamptz NOT NULL,\n  "updatedAt" timestamptz NOT NULL,\n  "PostId" integer NOT NULL,\n  "TagId" integer NOT NULL,\n  PRIMARY KEY ("PostId", "TagId")\n);',
      'ALTER TABLE "Posts" ADD FOREIGN KEY ("authorId") REFERENCES "Users" ("id");',
      'ALTER TABLE "comments" ADD FOREIGN KEY ("post_id") REFERENCES "Posts" ("id");',
      'ALTER TABLE "PostTags" ADD FOREIGN KEY ("PostId") REFERENCES "Posts" ("id");',
      'ALTER TABLE "PostTags" ADD FOREIGN KEY ("TagId") REFERENCES "Tags" ("id");',
      'CREATE INDEX ON "Posts" ("authorId", "published_at");',
    ]);
  });

  it('builds, fills and explains on the embedded database', async () => {
    const db = await ws.open();
    assert.deepEqual(db.warnings, []);
    assert.equal(db.rows.comments, 2_000);
    const result = await explainQuery(db.connector, 'SELECT id, title FROM "Posts" WHERE "authorId" = $1 AND "deletedAt" IS NULL', { analyze: true });
    assert.deepEqual(result.paramSources, ['sampled from "Posts"."authorId"']);
    // A belongsToMany include as the translator writes it runs on the tables made here.
    const tagged = await explainQuery(db.connector, 'SELECT "Post"."id", "Tags"."name" FROM "Posts" AS "Post" LEFT OUTER JOIN ( "PostTags" AS "Tags->PostTags" INNER JOIN "Tags" AS "Tags" ON "Tags"."id" = "Tags->PostTags"."TagId") ON "Post"."id" = "Tags->PostTags"."PostId" WHERE "Post"."id" = 7', { analyze: true });
    assert.ok(tagged.plan.analyzed);
    assert.ok(db.rows.PostTags > 0, JSON.stringify(db.rows));
  });
});
