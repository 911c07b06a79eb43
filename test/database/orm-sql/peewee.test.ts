/**
 * Peewee queries → SQL, with the models of another module. The expectations are the statements
 * peewee 3.14 prints for the same queries (`query.sql()`), with table names instead of its
 * `t1`/`t2` aliases and placeholders for run-time values.
 */
import * as assert from 'node:assert/strict';
import { assertTranslatesOrRefuses, translateIn } from './translate';

const BASE = `from peewee import Model, PostgresqlDatabase

db = PostgresqlDatabase("app")


class BaseModel(Model):
    class Meta:
        database = db
`;

const MODELS = `import datetime
from peewee import *
from .base import BaseModel


class User(BaseModel):
    username = CharField(unique=True)
    email = CharField(max_length=120, index=True, null=True)


class Tweet(BaseModel):
    user = ForeignKeyField(User, backref="tweets")
    message = TextField()
    created_date = DateTimeField(default=datetime.datetime.now)
    is_published = BooleanField(default=True)


class Relationship(BaseModel):
    from_user = ForeignKeyField(User, backref="relationships")
    to_user = ForeignKeyField(User, backref="related_to")

    class Meta:
        table_name = "relationships"
`;

const TWEET = '"tweet"."id", "tweet"."user_id", "tweet"."message", "tweet"."created_date", "tweet"."is_published"';
const USER = '"user"."id", "user"."username", "user"."email"';

async function sql(code: string, at = code): Promise<{ sql: string; notes: string[] }> {
  const main = `from flask import request
from peewee import JOIN
from .models import Relationship, Tweet, User

PAGE_SIZE = 20


def handler(user_id, page, q):
    return ${code}
`;
  return translateIn({ '/ws/app/base.py': BASE, '/ws/app/models.py': MODELS, '/ws/app/views.py': main }, '/ws/app/views.py', at);
}

describe('orm-sql: Peewee', () => {
  const cases: Array<[string, string, string]> = [
    [
      'select() with where, order_by desc, limit and offset (a module constant inlined)',
      'Tweet.select().where(Tweet.user == user_id).order_by(Tweet.created_date.desc()).limit(PAGE_SIZE).offset(40)',
      `SELECT ${TWEET} FROM "tweet" WHERE ("tweet"."user_id" = $1) ORDER BY "tweet"."created_date" DESC LIMIT 20 OFFSET 40`,
    ],
    [
      'select(Tweet, User) joined on the foreign key, | of two comparisons',
      "Tweet.select(Tweet, User).join(User).where((User.username == 'ann') | (Tweet.is_published == True))",
      `SELECT ${TWEET}, ${USER} FROM "tweet" INNER JOIN "user" ON ("tweet"."user_id" = "user"."id") WHERE (("user"."username" = 'ann') OR ("tweet"."is_published" = true))`,
    ],
    [
      '<< a list, ~ contains, paginate with a literal page, unary minus orders descending',
      "Tweet.select().where(Tweet.id << [1, 2], ~(Tweet.message.contains('x'))).order_by(-Tweet.id).paginate(3, 10)",
      `SELECT ${TWEET} FROM "tweet" WHERE ("tweet"."id" IN (1, 2)) AND NOT (("tweet"."message" ILIKE '%x%')) ORDER BY "tweet"."id" DESC LIMIT 10 OFFSET 20`,
    ],
    [
      'a join back along a foreign key, between, is_null(False)',
      'User.select().join(Tweet).where(Tweet.created_date.between(1, 5), User.email.is_null(False))',
      `SELECT ${USER} FROM "user" INNER JOIN "tweet" ON ("tweet"."user_id" = "user"."id") WHERE ("tweet"."created_date" BETWEEN 1 AND 5) AND ("user"."email" IS NOT NULL)`,
    ],
    [
      'join on= one of two foreign keys to the same model, LEFT OUTER, % is LIKE; Meta.table_name',
      "Relationship.select().join(User, JOIN.LEFT_OUTER, on=Relationship.to_user).where(User.username % 'a%')",
      `SELECT "relationships"."id", "relationships"."from_user_id", "relationships"."to_user_id" FROM "relationships" LEFT OUTER JOIN "user" ON ("relationships"."to_user_id" = "user"."id") WHERE ("user"."username" LIKE 'a%')`,
    ],
    [
      '& of two comparisons, a comparison with None, in_() of a list computed at run time',
      'Tweet.select().where((Tweet.user == 1) & (Tweet.message != None), Tweet.id.in_(ids_of(q)))',
      `SELECT ${TWEET} FROM "tweet" WHERE (("tweet"."user_id" = 1) AND ("tweet"."message" IS NOT NULL)) AND ("tweet"."id" = ANY($1))`,
    ],
    ['get() by a condition', 'User.get(User.username == q)', `SELECT ${USER} FROM "user" WHERE ("user"."username" = $1) LIMIT 1`],
    ['get_by_id()', 'Tweet.get_by_id(user_id)', `SELECT ${TWEET} FROM "tweet" WHERE ("tweet"."id" = $1) LIMIT 1`],
    ['count() counts the query wrapped', 'Tweet.select().where(Tweet.user_id == user_id).count()', `SELECT COUNT(1) FROM (SELECT ${TWEET} FROM "tweet" WHERE ("tweet"."user_id" = $1)) AS "_wrapped"`],
    ['filter() with keyword arguments, first()', 'Tweet.select().filter(is_published=False).first()', `SELECT ${TWEET} FROM "tweet" WHERE ("tweet"."is_published" = false) LIMIT 1`],
    [
      "the count the N+1 advice writes: fn.COUNT with an alias, a left outer join, group_by a model (its columns), order_by the count",
      "User.select(User, fn.COUNT(Tweet.id).alias('count')).join(Tweet, JOIN.LEFT_OUTER).group_by(User).order_by(fn.COUNT(Tweet.id).desc())",
      `SELECT ${USER}, COUNT("tweet"."id") AS "count" FROM "user" LEFT OUTER JOIN "tweet" ON ("tweet"."user_id" = "user"."id") GROUP BY ${USER} ORDER BY COUNT("tweet"."id") DESC`,
    ],
    [
      'group_by a field, having on a function, a function in select',
      'Tweet.select(Tweet.user, fn.MAX(Tweet.created_date)).group_by(Tweet.user).having(fn.COUNT(Tweet.id) > 5)',
      `SELECT "tweet"."user_id", MAX("tweet"."created_date") FROM "tweet" GROUP BY "tweet"."user_id" HAVING (COUNT("tweet"."id") > 5)`,
    ],
    [
      'distinct()',
      'Tweet.select(Tweet.user).distinct().where(Tweet.is_published == True)',
      `SELECT DISTINCT "tweet"."user_id" FROM "tweet" WHERE ("tweet"."is_published" = true)`,
    ],
  ];
  for (const [name, code, expected] of cases) {
    it(name, async () => assert.equal((await sql(code)).sql, expected));
  }

  it('distinct on expressions (DISTINCT ON) is said not to be translated', async () => {
    await assert.rejects(sql('Tweet.select().distinct(Tweet.user)'), /distinct\(\) on expressions/);
  });

  it('paginate() with the page of the request: the offset is a placeholder saying how it is computed', async () => {
    const t = await sql('Tweet.select().order_by(Tweet.id).paginate(page, PAGE_SIZE)');
    assert.equal(t.sql, `SELECT ${TWEET} FROM "tweet" ORDER BY "tweet"."id" LIMIT 20 OFFSET $1`);
    assert.match(t.notes[0], /\$1 = `\(page - 1\) \* 20`/);
  });

  it('writes as peewee 3.14 prints them: defaults added and columns in field order, RETURNING the key, SET in field order', async () => {
    const writes: Array<[string, string]> = [
      ['Tweet.insert(message="hi", user=user_id).execute()', 'INSERT INTO "tweet" ("user_id", "message", "created_date", "is_published") VALUES ($1, \'hi\', $2, true) RETURNING "tweet"."id"'],
      ['Tweet.insert_many([{"message": "a", "user": 1}, {"user": 2, "message": "b"}]).execute()', 'INSERT INTO "tweet" ("user_id", "message", "created_date", "is_published") VALUES (1, \'a\', $1, true), (2, \'b\', $2, true) RETURNING "tweet"."id"'],
      ['Tweet.insert(message="hi", user=user_id).on_conflict_ignore().execute()', 'INSERT INTO "tweet" ("user_id", "message", "created_date", "is_published") VALUES ($1, \'hi\', $2, true) ON CONFLICT DO NOTHING RETURNING "tweet"."id"'],
      ['Tweet.create(user=user_id, message=q)', 'INSERT INTO "tweet" ("user_id", "message", "created_date", "is_published") VALUES ($1, $2, $3, true) RETURNING "tweet"."id"'],
      ['User.update(username="x").where(User.id == user_id).execute()', 'UPDATE "user" SET "username" = \'x\' WHERE ("user"."id" = $1)'],
      ['User.update({User.email: None, "username": q}).where(User.id == user_id).execute()', 'UPDATE "user" SET "username" = $1, "email" = NULL WHERE ("user"."id" = $2)'],
      ['User.update(username=User.username + "x").execute()', 'UPDATE "user" SET "username" = ("user"."username" || \'x\')'],
      ['Tweet.delete().where(Tweet.user == user_id).execute()', 'DELETE FROM "tweet" WHERE ("tweet"."user_id" = $1)'],
      ['User.delete_by_id(user_id)', 'DELETE FROM "user" WHERE ("user"."id" = $1)'],
      ['User.get_or_create(username=q, defaults={"email": None})', `SELECT ${USER} FROM "user" WHERE ("user"."username" = $1) LIMIT 1`],
    ];
    for (const [code, expected] of writes) assert.equal((await sql(code)).sql, expected, code);
    assert.match((await sql('Tweet.create(user=user_id, message=q)')).notes.join('\n'), /\$3 = `Tweet\.created_date's default, datetime\.datetime\.now`/);
    await assert.rejects(sql('Tweet.insert_many(rows).execute()'), /insert_many\(\) of rows held in `rows` is not translated/);
    await assert.rejects(sql('User.update(nope=1).execute()'), /`nope` is not a field of User/);
    await assert.rejects(sql('User.update(username="x").order_by(User.id).execute()'), /`\.order_by\(\)` on update\(\) is not translated/);
    for (const code of writes.map(([c]) => c)) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0, code);
  });

  it('refuses what it cannot translate, naming it', async () => {
    await assert.rejects(sql('Tweet.select().window(w)'), /`\.window\(\)` is not translated/);
    await assert.rejects(sql('Tweet.select().where(Tweet.nope == 1)'), /`nope` is not a field of Tweet/);
  });

  it('mangled calls translate or are refused with the reason, never another error', async () => {
    for (const code of [
      'Tweet.select(Tweet, User).join(User).where((User.username == "ann") | (Tweet.is_published == True), Tweet.id << [1, 2]).order_by(-Tweet.id).paginate(3, 10)',
      'Tweet.select().where(Tweet.user == user_id).order_by(Tweet.created_date.desc()).limit(PAGE_SIZE).offset(40)',
    ]) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0);
  });
});
