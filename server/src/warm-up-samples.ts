/**
 * Built-in code for the language server's warm-up (warm-up.ts): written for it, in the shapes the
 * analysers meet in real code. A request handler part, dense with what the rules look for, and a
 * library part (classes, methods, docstrings) like most of the code a user types in.
 */

export const PYTHON_HANDLERS = `"""Orders service: models, views and helpers (PerfLens warm-up sample)."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Optional

import requests
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import JsonResponse
from django.views import View
from flask import Flask, jsonify, request
from fastapi import APIRouter, Depends
from sqlalchemy import select, func
from sqlalchemy.orm import Session, selectinload

app = Flask(__name__)
router = APIRouter()
_cache: dict[str, Any] = {}
RATES = {}


class Customer(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    total = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=20, default="new")


@dataclass
class Summary:
    count: int = 0
    names: list[str] = field(default_factory=list)

    def add(self, name: str) -> None:
        self.count += 1
        self.names.append(name)


def order_lines(orders: Iterable[Order]) -> list[dict]:
    lines = []
    for order in orders:
        customer = order.customer
        lines.append({"id": order.id, "customer": customer.name, "total": str(order.total)})
    return lines


def customer_names(ids: list[int]) -> list[str]:
    names = []
    for i in ids:
        c = Customer.objects.get(pk=i)
        names.append(c.name)
    return [n.upper() for n in names if n]


class OrderListView(View):
    def get(self, request):
        page = int(request.GET.get("page", 1))
        qs = Order.objects.filter(status="new").order_by("-id")[(page - 1) * 20 : page * 20]
        total = Order.objects.count()
        rate = requests.get("https://rates.example.com/eur").json()
        data = [{"id": o.id, "who": o.customer.email, "eur": float(o.total) * rate["eur"]} for o in qs]
        return JsonResponse({"orders": data, "total": total})


@app.route("/customers/<int:cid>")
def customer_detail(cid: int):
    if cid in _cache:
        return jsonify(_cache[cid])
    customer = Customer.objects.select_related().get(pk=cid)
    time.sleep(0.1)
    _cache[cid] = {"name": customer.name}
    with open("/tmp/audit.log", "a") as fh:
        fh.write(json.dumps({"cid": cid}))
    return jsonify(_cache[cid])


@router.get("/orders")
def list_orders(offset: int = 0, limit: int = 50, db: Session = Depends()):
    stmt = select(Order).offset(offset).limit(limit)
    rows = db.execute(stmt).scalars().all()
    out = []
    for row in rows:
        items = db.query(Order).filter(Order.customer_id == row.customer_id).all()
        out.append({"id": row.id, "n": len(items)})
    count = db.scalar(select(func.count()).select_from(Order))
    return {"rows": out, "count": count}


@router.get("/customers/{cid}/orders")
async def customer_orders(cid: int, db: Session = Depends()):
    stmt = select(Customer).options(selectinload(Customer.orders)).where(Customer.id == cid)
    customer = db.execute(stmt).scalar_one_or_none()
    if customer is None:
        return {"error": "not found"}
    resp = requests.post("https://audit.example.com", json={"cid": cid}, timeout=5)
    return {"orders": [o.id for o in customer.orders], "audit": resp.status_code}


@lru_cache(maxsize=None)
def exchange_rate(currency: str) -> float:
    try:
        return float(requests.get(f"https://rates.example.com/{currency}").text)
    except (ValueError, requests.RequestException):
        return 1.0
    finally:
        RATES[currency] = time.time()


def report(db: Session, customer_ids: list[int]) -> Summary:
    summary = Summary()
    with transaction.atomic():
        for cid in customer_ids:
            rows = db.execute("SELECT id, total FROM orders WHERE customer_id = %s ORDER BY id LIMIT 10 OFFSET 100", [cid])
            for row in rows:
                summary.add(str(row[0]))
    while summary.count > 1000:
        summary.names.pop()
        summary.count -= 1
    paginator = Paginator(Order.objects.all(), 25)
    lambda_total = sum(map(lambda o: o.total, paginator.page(1).object_list))
    return summary if lambda_total else Summary(count=0)


async def refresh(ids: list[int], db: Session) -> dict[int, Optional[str]]:
    result = {}
    async for cid in aiter_ids(ids):
        result[cid] = (await db.get(Customer, cid)).name
    return result


async def aiter_ids(ids):
    for i in ids:
        yield i
`;

export const PYTHON_LIBRARY = `class QueryBuilder(object):
    """Builds a statement step by step; each method returns a new builder.

    The methods below are generative: they copy the builder, change the copy and return it.
    """

    _where = ()
    _order_by = ()
    _limit = None
    _offset = None

    def __init__(self, entities, session=None, **kw):
        self.session = session
        self._entities = [e for e in entities if e is not None]
        self._options = dict(kw)
        if not self._entities:
            raise ValueError("at least one entity is required")

    def _clone(self):
        new = self.__class__.__new__(self.__class__)
        new.__dict__ = self.__dict__.copy()
        return new

    @property
    def statement(self):
        """The statement this builder makes, compiled lazily."""
        stmt = self._compile_state()
        if self._options.get("label_style"):
            stmt = stmt.set_label_style(self._options["label_style"])
        return stmt

    @classmethod
    def for_entity(cls, entity, *args, **kwargs):
        return cls([entity], *args, **kwargs)

    def filter(self, *criterion):
        """Adds criteria, joined with AND, to a copy of this builder."""
        new = self._clone()
        for crit in list(criterion):
            if isinstance(crit, str):
                raise TypeError("use text() for textual criteria: %r" % (crit,))
            new._where = new._where + (crit,)
        return new

    def filter_by(self, **kwargs):
        clauses = [self._entities[0].c[key] == value for key, value in kwargs.items()]
        return self.filter(*clauses)

    def order_by(self, *clauses):
        new = self._clone()
        if len(clauses) == 1 and clauses[0] is None:
            new._order_by = ()
        else:
            new._order_by = new._order_by + tuple(clauses)
        return new

    def limit(self, limit):
        new = self._clone()
        new._limit = limit
        return new

    def offset(self, offset):
        new = self._clone()
        new._offset = offset
        return new

    def slice(self, start, stop):
        if start is not None and stop is not None and stop <= start:
            return self.limit(0)
        return self.offset(start).limit(None if stop is None else stop - (start or 0))

    def __getitem__(self, item):
        if isinstance(item, slice):
            return list(self.slice(item.start, item.stop))
        if item == -1:
            return list(self)[-1]
        return list(self.slice(item, item + 1))[0]

    def __iter__(self):
        result = self._execute()
        try:
            for row in result:
                yield row
        finally:
            result.close()

    def all(self):
        """Every row, as a list."""
        return list(self)

    def first(self):
        rows = self.limit(1).all()
        return rows[0] if rows else None

    def one(self):
        rows = self.limit(2).all()
        if len(rows) != 1:
            raise LookupError("expected one row, got %d" % len(rows))
        return rows[0]

    def count(self):
        col = self._entities[0]
        return self.session.execute(self._count_statement(col)).scalar()

    def exists(self):
        return self.session.query(self.statement.exists()).scalar()

    def _compile_state(self):
        parts = ["SELECT", ", ".join(str(e) for e in self._entities)]
        if self._where:
            parts.append("WHERE " + " AND ".join(str(w) for w in self._where))
        if self._order_by:
            parts.append("ORDER BY " + ", ".join(map(str, self._order_by)))
        if self._limit is not None:
            parts.append("LIMIT %d" % self._limit)
        if self._offset:
            parts.append("OFFSET %d" % self._offset)
        return " ".join(parts)

    def _execute(self):
        if self.session is None:
            raise RuntimeError("this builder is not bound to a session")
        return self.session.execute(self.statement, self._options.get("params", {}))

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self._compile_state())
`;

export const TYPESCRIPT_HANDLERS = `/** Orders service: routes, repositories and helpers (PerfLens warm-up sample). */
import express, { type Request, type Response, type NextFunction } from 'express';
import { PrismaClient, type Prisma } from '@prisma/client';
import { DataSource, In, Repository } from 'typeorm';
import axios from 'axios';
import * as fs from 'node:fs';
import { execSync } from 'node:child_process';

const prisma = new PrismaClient();
const app = express();
const sessions = new Map<string, { user: number; at: number }>();
const rateCache: Record<string, number> = {};

export interface Page<T> {
  items: T[];
  total: number;
  next?: string | null;
}

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void> | void;

export enum Status {
  New = 'new',
  Paid = 'paid',
  Shipped = 'shipped',
}

app.get('/orders', async (req: Request, res: Response) => {
  const page = Number(req.query.page ?? 1);
  const orders = await prisma.order.findMany({ where: { status: Status.New }, skip: (page - 1) * 20, take: 20, orderBy: { id: 'desc' } });
  const total = await prisma.order.count();
  const out = [];
  for (const order of orders) {
    const customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
    out.push({ id: order.id, customer: customer?.name, total: order.total.toString() });
  }
  res.json({ items: out, total } satisfies Page<unknown>);
});

app.get('/customers/:id', async (req, res) => {
  const id = Number(req.params.id);
  const cached = sessions.get(String(id));
  if (cached) return void res.json(cached);
  const config = fs.readFileSync('/etc/app.json', 'utf8');
  const rate = await axios.get('https://rates.example.com/eur');
  const customer = await prisma.customer.findFirst({ where: { id }, include: { orders: true } });
  sessions.set(String(id), { user: id, at: Date.now() });
  res.json({ customer, rate: rate.data, config: JSON.parse(config) });
});

app.post('/reports', async (req, res) => {
  const ids: number[] = req.body.ids ?? [];
  const rows = await Promise.all(ids.map((id) => prisma.order.findMany({ where: { customerId: id } })));
  const version = execSync('git rev-parse HEAD').toString().trim();
  const response = await fetch('https://audit.example.com', { method: 'POST', body: JSON.stringify({ ids }) });
  res.json({ rows: rows.flat().length, version, audit: response.status });
});

export async function ordersAfter(cursor: number | undefined, take = 50): Promise<Page<Prisma.OrderGetPayload<{}>>> {
  const items = await prisma.order.findMany({ take, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}), orderBy: { id: 'asc' } });
  return { items, total: items.length, next: items.length === take ? String(items[items.length - 1].id) : null };
}

export class OrderRepository {
  private readonly seen = new Set<number>();
  constructor(private readonly dataSource: DataSource, private readonly repo: Repository<{ id: number; customerId: number }>) {}

  async byCustomers(customerIds: number[]) {
    const rows = await this.repo.find({ where: { customerId: In(customerIds) }, relations: ['customer'] });
    const byCustomer = new Map<number, typeof rows>();
    for (const row of rows) {
      const list = byCustomer.get(row.customerId) ?? [];
      list.push(row);
      byCustomer.set(row.customerId, list);
      this.seen.add(row.id);
    }
    return byCustomer;
  }

  async slow(ids: number[]) {
    const result: unknown[] = [];
    for (let i = 0; i < ids.length; i++) {
      result.push(await this.repo.findOne({ where: { id: ids[i] } }));
      result.push(await this.dataSource.query('SELECT * FROM orders WHERE customer_id = $1 ORDER BY id LIMIT 20 OFFSET 40', [ids[i]]));
    }
    return result;
  }
}

export const withTiming =
  (handler: Handler): Handler =>
  async (req, res, next) => {
    const started = performance.now();
    try {
      await handler(req, res, next);
    } catch (err) {
      next(err);
    } finally {
      rateCache[req.path] = performance.now() - started;
    }
  };
`;

export const TYPESCRIPT_LIBRARY = `export type Issue = { code: string; path: (string | number)[]; message: string };
export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

export interface SchemaDef<T = unknown> {
  kind: string;
  optional?: boolean;
  check?: (value: T) => string | undefined;
  describe?: string;
}

export abstract class Schema<T, D extends SchemaDef<T> = SchemaDef<T>> {
  protected constructor(readonly def: D) {}

  abstract _parse(input: unknown, path: (string | number)[]): ParseResult<T>;

  parse(input: unknown): T {
    const result = this._parse(input, []);
    if (!result.ok) throw new TypeError(result.issues.map((i) => \`\${i.path.join('.')}: \${i.message}\`).join('\\n'));
    return result.value;
  }

  safeParse(input: unknown): ParseResult<T> {
    try {
      return this._parse(input, []);
    } catch (e) {
      return { ok: false, issues: [{ code: 'custom', path: [], message: e instanceof Error ? e.message : String(e) }] };
    }
  }

  optional(): OptionalSchema<T> {
    return new OptionalSchema<T>(this);
  }

  describe(text: string): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this, { def: { ...this.def, describe: text } });
    return copy;
  }

  protected fail(path: (string | number)[], code: string, message: string): ParseResult<T> {
    return { ok: false, issues: [{ code, path: [...path], message }] };
  }
}

export class StringSchema extends Schema<string, SchemaDef<string> & { min?: number; max?: number; pattern?: RegExp }> {
  static create(): StringSchema {
    return new StringSchema({ kind: 'string' });
  }

  min(n: number): StringSchema {
    return new StringSchema({ ...this.def, min: n });
  }

  max(n: number): StringSchema {
    return new StringSchema({ ...this.def, max: n });
  }

  regex(pattern: RegExp): StringSchema {
    return new StringSchema({ ...this.def, pattern });
  }

  _parse(input: unknown, path: (string | number)[]): ParseResult<string> {
    if (typeof input !== 'string') return this.fail(path, 'invalid_type', \`expected string, received \${typeof input}\`);
    if (this.def.min !== undefined && input.length < this.def.min) return this.fail(path, 'too_small', \`at least \${this.def.min} characters\`);
    if (this.def.max !== undefined && input.length > this.def.max) return this.fail(path, 'too_big', \`at most \${this.def.max} characters\`);
    if (this.def.pattern && !this.def.pattern.test(input)) return this.fail(path, 'invalid_string', 'does not match');
    return { ok: true, value: input };
  }
}

export class OptionalSchema<T> extends Schema<T | undefined> {
  constructor(readonly inner: Schema<T>) {
    super({ kind: 'optional', optional: true });
  }

  _parse(input: unknown, path: (string | number)[]): ParseResult<T | undefined> {
    return input === undefined ? { ok: true, value: undefined } : this.inner._parse(input, path);
  }
}

export class ObjectSchema<S extends Record<string, Schema<any>>> extends Schema<{ [K in keyof S]: S[K] extends Schema<infer U> ? U : never }> {
  constructor(readonly shape: S) {
    super({ kind: 'object' });
  }

  _parse(input: unknown, path: (string | number)[]) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return this.fail(path, 'invalid_type', 'expected object');
    const out: Record<string, unknown> = {};
    const issues: Issue[] = [];
    for (const key of Object.keys(this.shape)) {
      const r = this.shape[key]._parse((input as Record<string, unknown>)[key], [...path, key]);
      if (r.ok) out[key] = r.value;
      else issues.push(...r.issues);
    }
    return issues.length ? { ok: false as const, issues } : { ok: true as const, value: out as any };
  }

  extend<E extends Record<string, Schema<any>>>(extra: E): ObjectSchema<S & E> {
    return new ObjectSchema({ ...this.shape, ...extra });
  }

  pick<K extends keyof S>(...keys: K[]): ObjectSchema<Pick<S, K>> {
    const shape = {} as Pick<S, K>;
    keys.forEach((k) => {
      shape[k] = this.shape[k];
    });
    return new ObjectSchema(shape);
  }
}

export function union<A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> {
  return new (class extends Schema<A | B> {
    constructor() {
      super({ kind: 'union' });
    }
    _parse(input: unknown, path: (string | number)[]): ParseResult<A | B> {
      const first = a._parse(input, path);
      if (first.ok) return first;
      const second = b._parse(input, path);
      return second.ok ? second : { ok: false, issues: [...first.issues, ...second.issues] };
    }
  })();
}
`;
