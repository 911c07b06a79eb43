/** Sequelize model calls → SQL: exact text per shape, table and column names as Sequelize v6 derives them. */
import * as assert from 'node:assert/strict';
import { inflectPlural, inflectUnderscore } from '../../../server/src/languages/typescript/sequelize-definitions';
import { assertTranslatesOrRefuses, translateIn } from './translate';

const MODELS = `
const { DataTypes, Model } = require('sequelize');
const sequelize = require('./db');

class User extends Model {}
User.init({
  email: { type: DataTypes.STRING, unique: true },
  fullName: DataTypes.VIRTUAL,
}, { sequelize, modelName: 'User' });

class Post extends Model {}
Post.init({
  title: DataTypes.STRING,
  published: DataTypes.BOOLEAN,
  authorId: { type: DataTypes.INTEGER, field: 'author_fk' },
  views: DataTypes.INTEGER,
}, { sequelize, tableName: 'posts' });

const Comment = sequelize.define('Comment', {
  body: DataTypes.TEXT,
  postId: DataTypes.INTEGER,
}, { underscored: true, paranoid: true });

const Category = sequelize.define('Category', { label: DataTypes.STRING }, { timestamps: false });
const Person = sequelize.define('Person', { name: DataTypes.STRING }, { freezeTableName: true, timestamps: false });
const Tag = sequelize.define('tag', { name: DataTypes.STRING }, { timestamps: false, underscored: true });

Post.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
User.hasMany(Post, { as: 'posts', foreignKey: 'authorId' });
Post.hasMany(Comment, { as: 'comments', foreignKey: 'postId' });
Comment.belongsTo(Post);
Post.belongsToMany(Tag, { through: 'PostTags' });
Tag.belongsToMany(Post, { through: 'PostTags' });
const Follow = sequelize.define('Follow', { since: DataTypes.DATE }, { timestamps: false });
const Doc = sequelize.define('Doc', {
  id: { type: DataTypes.UUID, defaultValue: DataTypes.UUIDV4, primaryKey: true },
  body: DataTypes.TEXT,
  role: { type: DataTypes.STRING, defaultValue: 'member' },
  at: { type: DataTypes.DATE, defaultValue: DataTypes.NOW },
}, { timestamps: false });
User.belongsToMany(User, { as: 'followers', through: Follow, foreignKey: 'followeeId', otherKey: 'followerId' });

module.exports = { User, Post, Comment, Category, Person, Tag, Follow, Doc };
`;

const POST = '"Post"."id", "Post"."title", "Post"."published", "Post"."author_fk", "Post"."views", "Post"."createdAt", "Post"."updatedAt"';
const USER = (a: string): string => `"${a}"."id", "${a}"."email", "${a}"."createdAt", "${a}"."updatedAt"`;

async function sql(code: string): Promise<{ sql: string; notes: string[]; description: string }> {
  const file = `import { Op } from 'sequelize';
import { User, Post, Comment, Category, Person, Tag, Follow, Doc } from '../models';
const PAGE = 20;
export async function handler(req: any, id: number, ids: number[]) {
  return ${code};
}
`;
  return translateIn({ '/ws/src/models/index.js': MODELS, '/ws/src/routes/posts.ts': file }, '/ws/src/routes/posts.ts', code);
}

describe('orm-sql: Sequelize', () => {
  const cases: Array<[string, string, string]> = [
    ['findAll: an id first, timestamps last, tableName and field', 'Post.findAll()', `SELECT ${POST} FROM "posts" AS "Post"`],
    ['the default table is the plural of the model name; VIRTUAL attributes are no columns', "User.findAll({ where: { email: 'a@b.c' } })", `SELECT ${USER('User')} FROM "Users" AS "User" WHERE "User"."email" = 'a@b.c'`],
    ['update sets updatedAt; values before conditions', "Post.update({ published: false, title: 'x' }, { where: { authorId: id } })", 'UPDATE "posts" SET "published"=false,"title"=\'x\',"updatedAt"=$1 WHERE "author_fk" = $2'],
    ['destroy of a paranoid model sets deletedAt; force deletes', 'Comment.destroy({ where: { postId: ids } })', 'UPDATE "comments" SET "deleted_at"=$1 WHERE "deleted_at" IS NULL AND "post_id" = $2'],
    ['increment by a constant, a run-time amount per field, decrement; updatedAt set', "Post.increment('views', { by: 2, where: { authorId: id } })", 'UPDATE "posts" SET "views"="views"+ 2,"updatedAt"=$1 WHERE "author_fk" = $2 RETURNING *'],
    ['increment of fields by their own amounts; decrement by 1; silent', "Post.decrement(['views'], { where: { id }, silent: true })", 'UPDATE "posts" SET "views"="views"- 1 WHERE "id" = $1 RETURNING *'],
    ['destroy with force: true', 'Comment.destroy({ where: { postId: 3 }, force: true })', 'DELETE FROM "comments" WHERE "post_id" = 3'],
    ['inflection: Category → Categories; freezeTableName keeps Person', 'Category.findAll()', 'SELECT "Category"."id", "Category"."label" FROM "Categories" AS "Category"'],
    ['freezeTableName', 'Person.findAll()', 'SELECT "Person"."id", "Person"."name" FROM "Person" AS "Person"'],
    ['underscored: snake-case plural table and columns; paranoid adds deleted_at IS NULL', 'Comment.findAll({ where: { postId: 3 } })', 'SELECT "Comment"."id", "Comment"."body", "Comment"."post_id", "Comment"."created_at", "Comment"."updated_at", "Comment"."deleted_at" FROM "comments" AS "Comment" WHERE "Comment"."deleted_at" IS NULL AND "Comment"."post_id" = 3'],
    ['a lower-case model name', 'Tag.findAll()', 'SELECT "tag"."id", "tag"."name" FROM "tags" AS "tag"'],
    ['Op operators, arrays are IN, null is IS NULL', "Post.findAll({ where: { id: [1, 2], title: { [Op.iLike]: '%x%', [Op.ne]: null }, published: null, authorId: { [Op.gte]: 2, [Op.notIn]: [5] } } })", `SELECT ${POST} FROM "posts" AS "Post" WHERE "Post"."id" IN (1, 2) AND "Post"."title" ILIKE '%x%' AND "Post"."title" IS NOT NULL AND "Post"."published" IS NULL AND "Post"."author_fk" >= 2 AND "Post"."author_fk" NOT IN (5)`],
    ['Op.or, Op.between, Op.startsWith', "Post.findAll({ where: { [Op.or]: [{ title: { [Op.startsWith]: 'a' } }, { id: { [Op.between]: [1, 9] } }], published: true } })", `SELECT ${POST} FROM "posts" AS "Post" WHERE ("Post"."title" LIKE 'a%' OR ("Post"."id" BETWEEN 1 AND 9)) AND "Post"."published" = true`],
    ['order, limit, offset, attributes', "Post.findAll({ attributes: ['id', 'title'], order: [['createdAt', 'DESC'], ['id', 'ASC']], limit: PAGE, offset: 40 })", 'SELECT "Post"."id", "Post"."title" FROM "posts" AS "Post" ORDER BY "Post"."createdAt" DESC, "Post"."id" ASC LIMIT 20 OFFSET 40'],
    ['attributes exclude', "Post.findAll({ attributes: { exclude: ['createdAt', 'updatedAt'] } })", 'SELECT "Post"."id", "Post"."title", "Post"."published", "Post"."author_fk", "Post"."views" FROM "posts" AS "Post"'],
    ['findOne sends LIMIT 1', 'Post.findOne({ where: { published: true } })', `SELECT ${POST} FROM "posts" AS "Post" WHERE "Post"."published" = true LIMIT 1`],
    ['count', 'Post.count({ where: { published: true } })', 'SELECT count(*) AS "count" FROM "posts" AS "Post" WHERE "Post"."published" = true'],
    ['include belongsTo with as: LEFT OUTER JOIN on the foreign key field', "Post.findAll({ include: [{ model: User, as: 'author' }] })", `SELECT ${POST}, ${USER('author')} FROM "posts" AS "Post" LEFT OUTER JOIN "Users" AS "author" ON "Post"."author_fk" = "author"."id"`],
    ['include required is INNER JOIN, include attributes', "Post.findAll({ include: [{ association: 'author', required: true, attributes: ['email'] }], where: { published: true } })", `SELECT ${POST}, "author"."email" FROM "posts" AS "Post" INNER JOIN "Users" AS "author" ON "Post"."author_fk" = "author"."id" WHERE "Post"."published" = true`],
    ['a default belongsTo foreign key: camelize(model + key), underscored on its model', 'Comment.findAll({ include: [Post] })', `SELECT "Comment"."id", "Comment"."body", "Comment"."post_id", "Comment"."created_at", "Comment"."updated_at", "Comment"."deleted_at", ${POST.replace(/"Post"/g, '"Post"')} FROM "comments" AS "Comment" LEFT OUTER JOIN "posts" AS "Post" ON "Comment"."post_id" = "Post"."id" WHERE "Comment"."deleted_at" IS NULL`],
  ];
  for (const [name, code, expected] of cases) {
    it(name, async () => assert.equal((await sql(code)).sql, expected));
  }

  it('pluralises as the inflection package does', () => {
    const cases: Array<[string, string]> = [['Post', 'Posts'], ['Category', 'Categories'], ['Person', 'People'], ['News', 'News'], ['Status', 'Statuses'], ['Box', 'Boxes'], ['Address', 'Addresses'], ['Shelf', 'Shelves'], ['Leaf', 'Leafs'], ['Users', 'Users'], ['Day', 'Days'], ['Child', 'Children']];
    for (const [word, plural] of cases) assert.equal(inflectPlural(word), plural, word);
    assert.equal(inflectUnderscore('BlogPosts'), 'blog_posts');
    assert.equal(inflectUnderscore('authorId'), 'author_id');
  });

  it('the inflected table name is said in a note', async () => {
    const t = await sql('User.findAll()');
    assert.ok(t.notes.includes('table "Users": Sequelize\'s plural of the model name User (set tableName or freezeTableName if the table is named otherwise)'));
    assert.equal(t.description, 'User.findAll → SQL');
  });

  it('run-time values become $n in text order', async () => {
    const t = await sql('Post.findAll({ where: { authorId: id, id: { [Op.in]: ids } }, order: [["id", "DESC"]], offset: (req.query.page - 1) * PAGE, limit: PAGE })');
    assert.equal(t.sql, `SELECT ${POST} FROM "posts" AS "Post" WHERE "Post"."author_fk" = $1 AND "Post"."id" = ANY($2) ORDER BY "Post"."id" DESC LIMIT 20 OFFSET $3`);
    assert.match(t.notes[0], /^\$1 = `id`/);
    assert.match(t.notes[2], /^\$3 = `\(req\.query\.page - 1\) \* PAGE`/);
  });

  it('findByPk and findOne by the primary key or a unique attribute send no LIMIT', async () => {
    const t = await sql('Post.findByPk(id)');
    assert.equal(t.sql, `SELECT ${POST} FROM "posts" AS "Post" WHERE "Post"."id" = $1`);
    assert.ok(t.notes.some((n) => /no LIMIT/.test(n)));
    assert.equal((await sql('Post.findOne({ where: { id } })')).sql, `SELECT ${POST} FROM "posts" AS "Post" WHERE "Post"."id" = $1`);
    assert.equal((await sql("User.findOne({ where: { email: 'a@b.c' } })")).sql, `SELECT ${USER('User')} FROM "Users" AS "User" WHERE "User"."email" = 'a@b.c'`);
  });

  it('a to-many include with limit pages the main rows in a subquery', async () => {
    const t = await sql("Post.findAll({ include: [{ model: Comment, as: 'comments' }], order: [['id', 'DESC']], limit: 10 })");
    assert.equal(
      t.sql,
      `SELECT "Post".*, "comments"."id", "comments"."body", "comments"."post_id", "comments"."created_at", "comments"."updated_at", "comments"."deleted_at" FROM (SELECT ${POST} FROM "posts" AS "Post" ORDER BY "Post"."id" DESC LIMIT 10) AS "Post" LEFT OUTER JOIN "comments" AS "comments" ON "Post"."id" = "comments"."post_id" AND ("comments"."deleted_at" IS NULL) ORDER BY "Post"."id" DESC`,
    );
  });

  it('a belongsToMany include: the through table joined to the target in parentheses, its columns selected', async () => {
    const tags = '"tags"."id", "tags"."name", "tags->PostTags"."createdAt", "tags->PostTags"."updatedAt", "tags->PostTags"."PostId", "tags->PostTags"."tagId"';
    const join = 'LEFT OUTER JOIN ( "PostTags" AS "tags->PostTags" INNER JOIN "tags" AS "tags" ON "tags"."id" = "tags->PostTags"."tagId") ON "Post"."id" = "tags->PostTags"."PostId"';
    assert.equal((await sql('Post.findAll({ include: [Tag] })')).sql, `SELECT ${POST}, ${tags} FROM "posts" AS "Post" ${join}`);
    // With a limit, the posts are paged first, as for hasMany.
    assert.equal(
      (await sql("Post.findAll({ include: [{ model: Tag }], where: { published: true }, limit: PAGE })")).sql,
      `SELECT "Post".*, ${tags} FROM (SELECT ${POST} FROM "posts" AS "Post" WHERE "Post"."published" = true LIMIT 20) AS "Post" ${join}`,
    );
    // A through model with its own attributes; foreignKey and otherKey name the keys.
    assert.equal(
      (await sql("User.findAll({ include: [{ association: 'followers', required: true }] })")).sql,
      `SELECT ${USER('User')}, ${USER('followers')}, "followers->Follow"."id", "followers->Follow"."since", "followers->Follow"."followeeId", "followers->Follow"."followerId" FROM "Users" AS "User" INNER JOIN ( "Follows" AS "followers->Follow" INNER JOIN "Users" AS "followers" ON "followers"."id" = "followers->Follow"."followerId") ON "User"."id" = "followers->Follow"."followeeId"`,
    );
  });

  it('findAndCountAll: the rows, and the count in a note', async () => {
    const t = await sql('Post.findAndCountAll({ where: { published: true }, limit: 10 })');
    assert.equal(t.sql, `SELECT ${POST} FROM "posts" AS "Post" WHERE "Post"."published" = true LIMIT 10`);
    assert.ok(t.notes.includes('findAndCountAll runs a second query for the total: SELECT count(*) AS "count" FROM "posts" AS "Post" WHERE "Post"."published" = true'));
  });

  // The shapes Sequelize 6.37 logs for PostgreSQL (literals are bound there, written out here).
  it('create: the attributes with a value in the model\'s order, DEFAULT for the auto-increment key, defaults and timestamps; RETURNING every attribute', async () => {
    assert.equal((await sql('User.create({ email: req.body.email })')).sql, 'INSERT INTO "Users" ("id","email","createdAt","updatedAt") VALUES (DEFAULT,$1,$2,$3) RETURNING "id","email","createdAt","updatedAt"');
    const post = await sql("Post.create({ authorId: id, title: 't' })");
    assert.equal(post.sql, 'INSERT INTO "posts" ("id","title","author_fk","createdAt","updatedAt") VALUES (DEFAULT,\'t\',$1,$2,$3) RETURNING "id","title","published","author_fk","views","createdAt","updatedAt"');
    assert.match(post.notes[1], /^\$2 = `the current time \(Sequelize sets createdAt\)`/);
    assert.equal(
      (await sql("Comment.create({ body: 'b', postId: 1 })")).sql,
      'INSERT INTO "comments" ("id","body","post_id","created_at","updated_at") VALUES (DEFAULT,\'b\',1,$1,$2) RETURNING "id","body","post_id","created_at","updated_at","deleted_at"',
    );
    const doc = await sql('Doc.create({ body: req.body.text })');
    assert.equal(doc.sql, 'INSERT INTO "Docs" ("id","body","role","at") VALUES ($1,$2,\'member\',$3) RETURNING "id","body","role","at"');
    assert.match(doc.notes[0], /^\$1 = `Sequelize's UUIDV4 for id`/);
    assert.equal((await sql("Post.create({ title: 't' }, { silent: true, returning: false })")).sql, 'INSERT INTO "posts" ("id","title","createdAt") VALUES (DEFAULT,\'t\',$1)');
  });

  it('bulkCreate: every attribute of every row (NULL where a row has none), ignoreDuplicates, updateOnDuplicate with conflictAttributes', async () => {
    assert.equal(
      (await sql("Post.bulkCreate([{ title: 'a' }, { title: req.body.title, views: 0 }])")).sql,
      'INSERT INTO "posts" ("id","title","published","author_fk","views","createdAt","updatedAt") VALUES (DEFAULT,\'a\',NULL,NULL,NULL,$1,$2),(DEFAULT,$3,NULL,NULL,0,$4,$5) RETURNING "id","title","published","author_fk","views","createdAt","updatedAt"',
    );
    assert.equal((await sql("Category.bulkCreate([{ label: 'a' }], { ignoreDuplicates: true })")).sql, 'INSERT INTO "Categories" ("id","label") VALUES (DEFAULT,\'a\') ON CONFLICT DO NOTHING RETURNING "id","label"');
    assert.equal(
      (await sql("User.bulkCreate([{ email: 'e' }], { updateOnDuplicate: ['updatedAt'], conflictAttributes: ['email'] })")).sql,
      'INSERT INTO "Users" ("id","email","createdAt","updatedAt") VALUES (DEFAULT,\'e\',$1,$2) ON CONFLICT ("email") DO UPDATE SET "updatedAt"=EXCLUDED."updatedAt" RETURNING "id","email","createdAt","updatedAt"',
    );
  });

  const unsupported: Array<[string, RegExp]> = [
    ['Post.bulkCreate(req.body.rows)', /the rows of bulkCreate are known only at run time/],
    ["User.bulkCreate([{ email: 'e' }], { updateOnDuplicate: ['updatedAt'] })", /updateOnDuplicate without conflictAttributes/],
    ["User.create({ email: 'e', posts: [{ title: 't' }] }, { include: ['posts'] })", /the `include` option of create is not translated/],
    ["User.create({ email: 'e', posts: [] })", /`posts` is not an attribute of model User \(creating associated rows/],
    ['User.create(req.body)', /the values is not an object literal/],
    ["Post.create({ title: 't' }, { fields: ['title'] })", /the `fields` option of create is not translated/],
    ['Post.findAll({ where: { title: { [Op.regexp]: "^a" } } })', /the operator `\[Op\.regexp\]` is not translated/],
    ['Post.findAll({ where: { nope: 1 } })', /`nope` is not an attribute of model Post/],
    ['Post.findAll({ group: ["title"] })', /the `group` option is not translated/],
    ["Post.findAll({ include: [{ model: User, as: 'author', where: { email: 'x' } }] })", /the include option `where` is not translated/],
    ["Post.findAll({ order: [['author', 'email', 'ASC']] })", /ordering by an included model's attribute/],
    ['Post.findAll({ where: { title: undefined } })', /Sequelize throws on an undefined where value/],
    ['Post.update({ title: "x" })', /update without `where` \(Sequelize refuses it\)/],
    ['Post.update({ title: sequelize.fn("upper", "x") }, { where: { id: 1 } })', /\(raw SQL\) is not translated/],
    ['Post.destroy({ where: { id: 1 }, limit: 1 })', /the `limit` option of destroy is not translated/],
    ['Post.findAll(req.body)', /the options is not an object literal/],
    ["Post.findAll({ include: [{ model: Comment, as: 'comments', required: true }], limit: 5 })", /a required to-many include with limit\/offset/],
  ];
  for (const [code, message] of unsupported) {
    it(`refuses, naming why: ${code}`, async () => {
      await assert.rejects(sql(code), (e: Error) => {
        assert.equal(e.name, 'UntranslatableCall');
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it('mangled calls translate or are refused with the reason, never another error', async () => {
    for (const code of [
      "Post.update({ title: 'x' }, { where: { authorId: id } })",
      'Comment.destroy({ where: { postId: 3 }, force: true })',
      "Post.increment('views', { by: 2, where: { authorId: id } })",
      "Post.create({ title: 't', authorId: id, views: 0 })",
      "Category.bulkCreate([{ label: 'a' }, { label: req.body.label }], { ignoreDuplicates: true })",
      "Post.findAll({ where: { authorId: { [Op.in]: [1, 2] }, title: { [Op.iLike]: '%x%' } }, include: [{ model: User, as: 'author', required: true }], order: [['createdAt', 'DESC']], limit: 10, offset: 20 })",
    ]) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0);
  });
});
