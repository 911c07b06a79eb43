/** SQLAlchemy select()/session.query() chains → SQL, with __tablename__ and renamed columns. */
import * as assert from 'node:assert/strict';
import { assertTranslatesOrRefuses, translateIn } from './translate';

const MODELS = `from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column("item_title", String(200))
    price_cents: Mapped[int]
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"))
    owner: Mapped["Owner"] = relationship(back_populates="items")
`;

const ITEM = '"items"."id", "items"."item_title", "items"."price_cents", "items"."owner_id"';

async function sql(code: string): Promise<{ sql: string; notes: string[] }> {
  const main = `from sqlalchemy import and_, or_, select
from .models import Item


def handler(session, owner_id: int):
    return ${code}
`;
  // A 2.0-style statement is recorded from its select(); the session call around it runs it.
  return translateIn({ '/ws/app/models.py': MODELS, '/ws/app/main.py': main }, '/ws/app/main.py', code.includes('select(') ? 'select(Item)' : code);
}

describe('orm-sql: SQLAlchemy', () => {
  const cases: Array<[string, string, string]> = [
    ['select() with where, order_by desc, limit and offset', 'session.scalars(select(Item).where(Item.owner_id == owner_id).order_by(Item.id.desc()).limit(20).offset(40)).all()', `SELECT ${ITEM} FROM "items" WHERE "items"."owner_id" = $1 ORDER BY "items"."id" DESC LIMIT 20 OFFSET 40`],
    ['a renamed column, and_/or_, in_, is_(None)', 'session.execute(select(Item).where(or_(Item.title == "a", and_(Item.price_cents >= 100, Item.id.in_([1, 2]))), Item.owner_id.is_(None)))', `SELECT ${ITEM} FROM "items" WHERE ("items"."item_title" = 'a' OR ("items"."price_cents" >= 100 AND "items"."id" IN (1, 2))) AND "items"."owner_id" IS NULL`],
    ['legacy query with filter_by and first()', 'session.query(Item).filter_by(owner_id=3).order_by(Item.title).first()', `SELECT ${ITEM} FROM "items" WHERE "items"."owner_id" = 3 ORDER BY "items"."item_title" LIMIT 1`],
    ['legacy count() counts a subquery', 'session.query(Item).filter(Item.price_cents < 10).count()', `SELECT count(*) AS count_1 FROM (SELECT ${ITEM} FROM "items" WHERE "items"."price_cents" < 10) AS anon_1`],
  ];
  for (const [name, code, expected] of cases) {
    it(name, async () => assert.equal((await sql(code)).sql, expected));
  }

  it("OpenStack's models: `models.Pool` through the imported module, columns of mixins in another module (imported by a relative name too) and of oslo.db's", async () => {
    const files = {
      '/ws/octavia/db/base_models.py': 'import sqlalchemy as sa\n\n\nclass IdMixin(object):\n    id = sa.Column(sa.String(36), primary_key=True)\n\n\nclass ProjectMixin(object):\n    project_id = sa.Column(sa.String(36))\n',
      '/ws/octavia/db/models.py':
        'from oslo_db.sqlalchemy import models\nimport sqlalchemy as sa\nfrom sqlalchemy.ext import declarative\nfrom octavia.db import base_models\nfrom .base_models import ProjectMixin\n\nBASE = declarative.declarative_base()\n\n\nclass Pool(BASE, base_models.IdMixin, ProjectMixin, models.TimestampMixin):\n    __tablename__ = "pool"\n    name = sa.Column(sa.String(255))\n',
      '/ws/octavia/db/repositories.py': 'from octavia.db import models\n\n\ndef pools(session, project_id):\n    return session.query(models.Pool).filter(models.Pool.project_id == project_id).order_by(models.Pool.created_at).all()\n',
    };
    const t = await translateIn(files, '/ws/octavia/db/repositories.py', 'session.query(models.Pool).filter(models.Pool.project_id == project_id).order_by(models.Pool.created_at).all()');
    assert.equal(
      t.sql,
      'SELECT "pool"."id", "pool"."project_id", "pool"."created_at", "pool"."updated_at", "pool"."name" FROM "pool" WHERE "pool"."project_id" = $1 ORDER BY "pool"."created_at"',
    );
  });

  it("Flask-SQLAlchemy: Model.query chains, db.select(Model), and a db.Model's table named after its class", async () => {
    const files = {
      '/ws/shop/models.py': 'from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\nclass OrderLine(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    order_id = db.Column(db.Integer, db.ForeignKey("order.id"))\n',
      '/ws/shop/services.py': 'from sqlalchemy import select\nfrom .models import OrderLine, db\n\n\ndef lines(order_id):\n    a = OrderLine.query.filter_by(order_id=order_id).order_by(OrderLine.id.desc()).limit(20).all()\n    b = db.session.scalars(db.select(OrderLine).where(OrderLine.order_id == order_id)).all()\n    return a, b\n',
    };
    const q = await translateIn(files, '/ws/shop/services.py', 'OrderLine.query.filter_by(order_id=order_id).order_by(OrderLine.id.desc()).limit(20).all()');
    assert.equal(q.sql, 'SELECT "order_line"."id", "order_line"."order_id" FROM "order_line" WHERE "order_line"."order_id" = $1 ORDER BY "order_line"."id" DESC LIMIT 20');
    const s = await translateIn(files, '/ws/shop/services.py', 'db.select(OrderLine)');
    assert.equal(s.sql, 'SELECT "order_line"."id", "order_line"."order_id" FROM "order_line" WHERE "order_line"."order_id" = $1');
  });

  it('legacy bulk writes: Query.update({…}) and Query.delete()', async () => {
    assert.equal((await sql('session.query(Item).filter(Item.owner_id == owner_id).update({Item.title: "x", "price_cents": 0})')).sql, 'UPDATE "items" SET "item_title" = \'x\', "price_cents" = 0 WHERE "items"."owner_id" = $1');
    assert.equal((await sql('session.query(Item).filter(Item.price_cents < 1).delete()')).sql, 'DELETE FROM "items" WHERE "items"."price_cents" < 1');
    await assert.rejects(sql('session.query(Item).filter(Item.id == 1).update(values)'), /not a dict written out/);
  });

  it('2.0 write statements: update(), delete(), insert() with values, returning and ON CONFLICT', async () => {
    const write = (code: string) => {
      const main = `from sqlalchemy import delete, update\nfrom sqlalchemy.dialects.postgresql import insert as pg_insert\nimport sqlalchemy as sa\nfrom .models import Item\n\n\ndef handler(session, owner_id: int, rows):\n    return session.execute(${code})\n`;
      return translateIn({ '/ws/app/models.py': MODELS, '/ws/app/main.py': main }, '/ws/app/main.py', code.slice(0, code.indexOf(')') + 1));
    };
    const update = await write('update(Item).where(Item.owner_id == owner_id).values(title="x", price_cents=Item.price_cents)');
    assert.equal(update.sql, 'UPDATE "items" SET "item_title" = \'x\', "price_cents" = $2 WHERE "items"."owner_id" = $1');
    assert.equal((await write('sa.update(Item).filter_by(id=3).values({Item.title: owner_id, "price_cents": 0}).returning(Item.id)')).sql, 'UPDATE "items" SET "item_title" = $1, "price_cents" = 0 WHERE "items"."id" = 3 RETURNING "id"');
    assert.equal((await write('delete(Item).where(Item.price_cents < 1, Item.owner_id.in_([1, 2])).returning(Item)')).sql, 'DELETE FROM "items" WHERE "items"."price_cents" < 1 AND "items"."owner_id" IN (1, 2) RETURNING "id", "item_title", "price_cents", "owner_id"');
    assert.equal((await write('sa.insert(Item).values([{"title": "a", "owner_id": owner_id}, {"title": "b", "owner_id": 2}])')).sql, 'INSERT INTO "items" ("item_title", "owner_id") VALUES (\'a\', $1), (\'b\', 2)');
    assert.equal(
      (await write('pg_insert(Item).values(id=1, title="a").on_conflict_do_update(index_elements=[Item.id], set_={"title": pg_insert(Item).excluded.title, Item.price_cents: 0})')).sql,
      'INSERT INTO "items" ("id", "item_title") VALUES (1, \'a\') ON CONFLICT ("id") DO UPDATE SET "item_title" = EXCLUDED."item_title", "price_cents" = 0',
    );
    assert.equal((await write('pg_insert(Item).values(id=owner_id).on_conflict_do_nothing(constraint="items_pkey")')).sql, 'INSERT INTO "items" ("id") VALUES ($1) ON CONFLICT ON CONSTRAINT "items_pkey" DO NOTHING');
    await assert.rejects(write('sa.insert(Item).values(rows)'), /values held in `rows` are not translated/);
    await assert.rejects(write('update(Item).where(Item.id == 1)'), /update\(\) without one set of \.values\(\)/);
    await assert.rejects(write('update(Item).values(nope=1)'), /`nope` is not a mapped column of Item/);
    for (const code of ['update(Item).where(Item.owner_id == owner_id).values(title="x", price_cents=0).returning(Item.id)', 'pg_insert(Item).values(id=1, title="a").on_conflict_do_update(index_elements=[Item.id], set_={"title": "b"})']) {
      assert.ok((await assertTranslatesOrRefuses(write, code)) > 0);
    }
  });

  it('refuses what it cannot translate, naming it', async () => {
    await assert.rejects(sql('session.scalars(select(Item).join(Item.owner)).all()'), /`\.join\(\)` is not translated/);
    await assert.rejects(sql('session.scalars(select(Item).where(Item.nope == 1)).all()'), /`nope` is not a mapped column of Item/);
  });

  it('mangled calls translate or are refused with the reason, never another error', async () => {
    for (const code of [
      'session.query(Item).filter(Item.owner_id == owner_id).update({Item.title: "x", "price_cents": 0})',
      'session.query(Item).filter(Item.price_cents < 1).delete()',
      'session.scalars(select(Item).where(and_(Item.owner_id == owner_id, or_(Item.price_cents > 10, Item.title.like("a%")))).order_by(Item.title.desc()).limit(20).offset(40)).all()',
    ]) assert.ok((await assertTranslatesOrRefuses(sql, code)) > 0);
  });
});
