import * as assert from 'node:assert/strict';
import { lintText, testEngine } from '../harness/engine';
import { fixtureTests, ruleTests } from '../harness/rule-tester';

ruleTests('offset-pagination', {
  valid: [
    {
      name: 'Django qs[:10] and qs[0:10]',
      file: 'views.py',
      code: 'from .models import Post\n\ndef latest(request):\n    a = Post.objects.order_by("-created_at")[:10]\n    b = Post.objects.all()[0:10]\n    return a, b\n',
      why: 'no offset, or a constant one',
    },
    {
      name: 'Django constant computed start',
      file: 'views.py',
      code: 'from .models import Post\n\ndef second_page(request):\n    return Post.objects.order_by("id")[20 * 1:20 * 2]\n',
      why: 'folds to a constant offset',
    },
    {
      name: 'Django keyset filter already present',
      file: 'views.py',
      code: 'from .models import Post\n\ndef page(request):\n    after = int(request.GET["after"])\n    start = int(request.GET.get("skip", 0))\n    return Post.objects.filter(id__gt=after).order_by("id")[start:start + 20]\n',
      why: 'a filter on the ordering key is keyset pagination',
    },
    {
      name: "django-haystack's search views: a Paginator and paginate_by over search results",
      file: 'search/views.py',
      code: 'from django.core.paginator import Paginator\nfrom django.views.generic import FormView\nfrom haystack.query import SearchQuerySet\n\n\nclass SearchView(FormView):\n    paginate_by = 20\n\n\ndef search(request):\n    results = SearchQuerySet().filter(content=request.GET.get("q"))\n    paginator = Paginator(results, 20)\n    return paginator.page(int(request.GET.get("page", 1)))\n',
      why: 'a search engine pages its results, not a database',
    },
    {
      name: 'plain list slicing',
      file: 'util.py',
      code: 'def chunk(items, start):\n    rows = list(items)\n    return rows[start:start + 10]\n',
      why: 'not a queryset',
    },
    {
      name: 'SQLAlchemy constant offset',
      file: 'repo.py',
      code: 'from sqlalchemy import select\nfrom .models import Item\n\ndef first(session):\n    return session.execute(select(Item).order_by(Item.id).offset(0).limit(10))\n',
      why: 'a constant offset does not grow',
    },
    {
      name: '.offset() on an unknown library',
      file: 'shapes.py',
      code: 'def move(shape, n):\n    return shape.translate().offset(n)\n',
      why: 'no ORM import: not a query',
    },
    {
      name: 'DRF CursorPagination and a keyset subclass',
      file: 'api.py',
      code: 'from rest_framework import viewsets\nfrom rest_framework.pagination import CursorPagination\n\n\nclass ByIdPagination(CursorPagination):\n    ordering = "-id"\n\n\nclass PostViewSet(viewsets.ModelViewSet):\n    pagination_class = ByIdPagination\n',
      why: 'cursor pagination is keyset pagination',
    },
    {
      name: 'paginate_by on a class that is not a list view',
      file: 'forms.py',
      code: 'class Settings:\n    paginate_by = 20\n',
      why: 'only generic list views page with it',
    },
    {
      name: 'Model.query.paginate without Flask or SQLAlchemy imports',
      file: 'client.py',
      code: 'def fetch(Api, page):\n    return Api.query.paginate(page=page)\n',
      why: 'no ORM evidence: not a query',
    },
  ],
  invalid: [
    {
      name: 'Django slice computed from request.GET',
      file: 'views.py',
      code: 'from django.http import JsonResponse\nfrom .models import Post\n\n\ndef post_list(request):\n    page = int(request.GET.get("page", 1))\n    start = (page - 1) * 20\n    posts = Post.objects.order_by("-created_at")[start:start + 20]\n    return JsonResponse({"posts": [p.title for p in posts]})\n',
      findings: [{ line: 8, message: /index on \(created_at, id\): `models.Index\(fields=\["-created_at", "-id"\]\)` in Post.Meta.indexes/ }],
      output: 'from django.http import JsonResponse\nfrom .models import Post\nfrom django.db.models import Q\n\n\ndef post_list(request):\n    page = int(request.GET.get("page", 1))\n    start = (page - 1) * 20\n    posts = Post.objects.order_by("-created_at", "-id").filter((Q(created_at__lt=request.GET.get("after_created_at")) | Q(created_at=request.GET.get("after_created_at"), id__lt=request.GET.get("after_id"))) if request.GET.get("after_id") is not None else Q())[:20]\n    return JsonResponse({"posts": [p.title for p in posts]})\n',
    },
    {
      name: 'Django queryset variable sliced with a parameter',
      file: 'services.py',
      code: 'from django.db.models import Count\nfrom .models import Post\n\n\ndef page_of(offset):\n    qs = Post.objects.order_by("id")\n    return qs[offset:offset + 50]\n',
      findings: [{ line: 7 }],
      output: 'from django.db.models import Count, Q\nfrom .models import Post\n\n\ndef page_of(offset, after=None):\n    qs = Post.objects.order_by("id")\n    return qs.filter(Q(id__gt=after) if after is not None else Q())[:50]\n',
    },
    {
      name: 'a queryset written as one, paged in a module of search views',
      file: 'search/views.py',
      code: 'from django.core.paginator import Paginator\nfrom haystack.query import SearchQuerySet\nfrom .models import Post\n\n\ndef recent(request):\n    paginator = Paginator(Post.objects.order_by("-id"), 20)\n    return paginator.page(int(request.GET.get("page", 1)))\n',
      findings: [{ line: 7, message: /Paginator/ }],
    },
    {
      name: 'Django Paginator with the page from the request',
      file: 'views.py',
      code: 'from django.core.paginator import Paginator\nfrom .models import Post\n\n\ndef index(request):\n    paginator = Paginator(Post.objects.all(), 25)\n    page = paginator.get_page(request.GET.get("page"))\n    return page\n',
      findings: [{ line: 6, message: /Paginator/ }],
    },
    {
      name: 'DRF LimitOffsetPagination',
      file: 'api.py',
      code: 'from rest_framework import viewsets\nfrom rest_framework.pagination import LimitOffsetPagination\n\n\nclass PostViewSet(viewsets.ModelViewSet):\n    pagination_class = LimitOffsetPagination\n',
      findings: [{ line: 6, message: /CursorPagination/ }],
    },
    {
      name: 'a project pagination class derived from PageNumberPagination',
      file: 'pagination.py',
      code: 'from rest_framework.pagination import PageNumberPagination\n\n\nclass StandardPagination(PageNumberPagination):\n    page_size = 50\n',
      findings: [{ line: 4, message: /PageNumberPagination/ }],
    },
    {
      name: 'DRF DEFAULT_PAGINATION_CLASS setting',
      file: 'settings.py',
      code: 'REST_FRAMEWORK = {\n    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",\n    "PAGE_SIZE": 100,\n}\n',
      findings: [{ line: 2 }],
    },
    {
      name: 'Django ListView with paginate_by',
      file: 'views.py',
      code: 'from django.views.generic import ListView\nfrom .models import Post\n\n\nclass PostList(ListView):\n    model = Post\n    paginate_by = 20\n',
      findings: [{ line: 7 }],
    },
    {
      name: 'Flask-SQLAlchemy Model.query.paginate(page=…) from the request',
      file: 'app.py',
      code: 'from flask import Flask, request\nfrom .models import Post\n\napp = Flask(__name__)\n\n\n@app.route("/posts")\ndef posts():\n    page = request.args.get("page", 1, type=int)\n    return Post.query.order_by(Post.id).paginate(page=page, per_page=20)\n',
      findings: [{ line: 10 }],
    },
    {
      name: 'Flask-SQLAlchemy 3: db.select(Model)…offset() with the offset from the request, db imported from the app',
      file: 'views.py',
      code: 'from flask import Flask, request\n\nfrom .models import Product, db\n\napp = Flask(__name__)\n\n\n@app.route("/products")\ndef products():\n    offset = request.args.get("offset", 0, type=int)\n    return db.session.execute(db.select(Product).order_by(Product.id).offset(offset).limit(50)).scalars().all()\n',
      findings: [{ line: 11, message: /`db\.select\(Product\)\.order_by\(Product\.id\)\.offset\(offset\)\.limit\(50\)` skips `offset` rows/ }],
      output: 'from flask import Flask, request\n\nfrom .models import Product, db\n\napp = Flask(__name__)\n\n\n@app.route("/products")\ndef products():\n    offset = request.args.get("offset", 0, type=int)\n    return db.session.execute(db.select(Product).order_by(Product.id).where(*([Product.id > request.args.get("after", type=int)] if request.args.get("after", type=int) is not None else [])).limit(50)).scalars().all()\n',
    },
    {
      name: 'FastAPI + SQLAlchemy select().offset(skip)',
      file: 'main.py',
      code: 'from fastapi import Depends, FastAPI\nfrom sqlalchemy import select\nfrom .models import Item\n\napp = FastAPI()\n\n\n@app.get("/items")\ndef list_items(skip: int = 0, limit: int = 100, db=Depends(get_db)):\n    return db.execute(select(Item).order_by(Item.id).offset(skip).limit(limit)).scalars().all()\n',
      findings: [{ line: 10, message: /`select\(Item\)/ }],
      output: 'from fastapi import Depends, FastAPI\nfrom sqlalchemy import select\nfrom .models import Item\n\napp = FastAPI()\n\n\n@app.get("/items")\ndef list_items(skip: int = 0, limit: int = 100, db=Depends(get_db), after: int | None = None):\n    return db.execute(select(Item).order_by(Item.id).where(*([Item.id > after] if after is not None else [])).limit(limit)).scalars().all()\n',
    },
    {
      name: 'SQLAlchemy legacy Query with a computed offset',
      file: 'repo.py',
      code: 'from sqlalchemy.orm import Session\nfrom .models import Item\n\n\ndef page(db: Session, page: int):\n    return db.query(Item).order_by(Item.created_at.desc()).offset((page - 1) * 20).limit(20).all()\n',
      findings: [{ line: 6 }],
      output: 'from sqlalchemy.orm import Session\nfrom .models import Item\nfrom sqlalchemy import tuple_\n\n\ndef page(db: Session, page: int, after_created_at=None, after_id=None):\n    return db.query(Item).order_by(Item.created_at.desc(), Item.id.desc()).filter(*([tuple_(Item.created_at, Item.id) < tuple_(after_created_at, after_id)] if after_id is not None else [])).limit(20).all()\n',
    },
    {
      name: 'SQLModel select().offset()',
      file: 'heroes.py',
      code: 'from fastapi import FastAPI\nfrom sqlmodel import Session, select\nfrom .models import Hero\n\napp = FastAPI()\n\n\n@app.get("/heroes/")\ndef read_heroes(offset: int = 0, limit: int = 100):\n    with Session(engine) as session:\n        return session.exec(select(Hero).offset(offset).limit(limit)).all()\n',
      findings: [{ line: 11 }],
      output: 'from fastapi import FastAPI\nfrom sqlmodel import Session, select\nfrom .models import Hero\n\napp = FastAPI()\n\n\n@app.get("/heroes/")\ndef read_heroes(offset: int = 0, limit: int = 100, after: int | None = None):\n    with Session(engine) as session:\n        return session.exec(select(Hero).order_by(Hero.id).where(*([Hero.id > after] if after is not None else [])).limit(limit)).all()\n',
    },
    {
      name: 'Peewee offset and paginate (reported, no automatic fix)',
      file: 'app.py',
      code: 'from flask import request\nfrom peewee import Model\nfrom .models import Post\n\n\ndef index():\n    page = int(request.args.get("page", 1))\n    a = Post.select().order_by(Post.id).offset((page - 1) * 20).limit(20)\n    b = Post.select().paginate(page, 20)\n    return a, b\n',
      findings: [{ line: 8 }, { line: 9 }],
    },
    {
      name: 'Peewee: the index advice in Peewee\'s terms (Meta.indexes for one direction, add_index for mixed ones)',
      file: 'app.py',
      code: 'from flask import request\nfrom .models import Tweet\n\n\ndef index():\n    page = int(request.args.get("page", 1))\n    a = Tweet.select().order_by(Tweet.created_date.desc()).paginate(page, 20)\n    b = Tweet.select().order_by(Tweet.user, Tweet.created_date.desc()).paginate(page, 20)\n    return a, b\n',
      findings: [
        { line: 7, message: /It needs an index on \(created_date, id\): `\(\("created_date", "id"\), False\)` in Tweet\.Meta\.indexes/ },
        { line: 8, message: /`Tweet\.add_index\(Tweet\.user, Tweet\.created_date\.desc\(\), Tweet\.id\.desc\(\)\)`/ },
      ],
    },
    {
      name: 'SQL in a string whose %s values the call binds: the tuple gets the cursor, the function a parameter',
      file: 'raw.py',
      code: 'def page(cursor, owner, n):\n    cursor.execute("SELECT * FROM items WHERE owner = %s ORDER BY id LIMIT 20 OFFSET %s", (owner, n))\n',
      findings: [{ line: 2 }],
      output: 'def page(cursor, owner, n, after=None):\n    cursor.execute("SELECT * FROM items WHERE owner = %s AND id > %s ORDER BY id LIMIT 20", (owner, after))\n',
    },
    {
      name: 'SQL in a string with a one-value tuple keeps the trailing comma',
      file: 'raw.py',
      code: 'def page(cursor, n):\n    cursor.execute("SELECT * FROM items ORDER BY id LIMIT 20 OFFSET %s", (n,))\n',
      findings: [{ line: 2 }],
      output: 'def page(cursor, n, after=None):\n    cursor.execute("SELECT * FROM items WHERE id > %s ORDER BY id LIMIT 20", (after,))\n',
    },
    {
      name: 'SQL in a Django view whose offset comes from the request: the cursor too',
      file: 'views.py',
      code: 'from django.db import connection\nfrom django.http import JsonResponse\n\n\ndef page(request):\n    n = int(request.GET.get("offset", 0))\n    with connection.cursor() as cursor:\n        cursor.execute("SELECT id FROM items ORDER BY created_at DESC LIMIT 20 OFFSET %s", [n])\n        return JsonResponse({"rows": cursor.fetchall()})\n',
      findings: [{ line: 8 }],
      output: 'from django.db import connection\nfrom django.http import JsonResponse\n\n\ndef page(request):\n    n = int(request.GET.get("offset", 0))\n    with connection.cursor() as cursor:\n        cursor.execute("SELECT id FROM items WHERE (created_at, id) < (%s, %s) ORDER BY created_at DESC, id DESC LIMIT 20", [request.GET.get("after_created_at"), request.GET.get("after_id")])\n        return JsonResponse({"rows": cursor.fetchall()})\n',
    },
    {
      name: 'SQL in an f-string passed to cursor.execute',
      file: 'raw.py',
      code: 'import psycopg2\n\n\ndef page(cursor, n):\n    cursor.execute(f"SELECT * FROM items ORDER BY id LIMIT 20 OFFSET {n}")\n',
      findings: [{ line: 5, message: /primary key index serves this order/ }],
    },
  ],
});

fixtureTests('offset-pagination', 'test/rules/offset-pagination/fixtures', (f) => f.endsWith('.py'));

describe('offset-pagination (Python): SQL whose values cannot be rewritten gets the advice without an edit', () => {
  for (const [name, code] of [
    // An f-string puts the offset into the SQL text: a cursor would have to go in the same way.
    ['an f-string', 'def page(cursor, n):\n    cursor.execute(f"SELECT * FROM items ORDER BY id LIMIT 20 OFFSET {n}")\n'],
    ['values in a variable', 'def page(cursor, params):\n    cursor.execute("SELECT * FROM items ORDER BY id LIMIT 20 OFFSET %s", params)\n'],
    ['named values with unpacked ones', 'def page(cursor, n, extra):\n    cursor.execute("SELECT * FROM items WHERE a = %(a)s ORDER BY id LIMIT 20 OFFSET %(n)s", {"n": n, **extra})\n'],
    ['a text() whose values are bound elsewhere', 'from sqlalchemy import text\n\n\ndef page(session, n):\n    stmt = text("SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET :n")\n    return session.execute(stmt, {"n": n})\n'],
    ['a new name the statement already binds', 'def page(cursor, n, a):\n    cursor.execute("SELECT * FROM items WHERE id <> %(after_id)s ORDER BY id LIMIT 20 OFFSET %(n)s", {"n": n, "after_id": a})\n'],
  ]) {
    it(name, async () => {
      const found = lintText(await testEngine(), code, 'raw.py').findings.filter((f) => f.ruleId === 'offset-pagination');
      assert.equal(found.length, 1);
      assert.deepEqual(found[0].fixes, []);
    });
  }
});

ruleTests('offset-pagination', {
  valid: [],
  invalid: [
    {
      name: 'psycopg %(name)s values in a dictionary: the offset\'s entry goes, the cursor\'s comes',
      file: 'raw.py',
      code: 'def page(cursor, n):\n    cursor.execute("SELECT * FROM items ORDER BY id LIMIT 20 OFFSET %(n)s", {"n": n})\n',
      findings: [{ line: 2 }],
      output: 'def page(cursor, n, after=None):\n    cursor.execute("SELECT * FROM items WHERE id > %(after_id)s ORDER BY id LIMIT 20", {"after_id": after})\n',
    },
    {
      name: 'SQLAlchemy text() with :name values in the dictionary passed to execute, other values kept',
      file: 'repo.py',
      code: 'from sqlalchemy import text\n\n\ndef page(session, owner, offset):\n    return session.execute(text("SELECT id FROM posts WHERE owner_id = :owner ORDER BY created_at DESC LIMIT :limit OFFSET :offset"), {"owner": owner, "limit": 20, "offset": offset}).all()\n',
      findings: [{ line: 5 }],
      output: 'from sqlalchemy import text\n\n\ndef page(session, owner, offset, after_created_at=None, after_id=None):\n    return session.execute(text("SELECT id FROM posts WHERE owner_id = :owner AND (created_at, id) < (:after_created_at, :after_id) ORDER BY created_at DESC, id DESC LIMIT :limit"), {"owner": owner, "limit": 20, "after_created_at": after_created_at, "after_id": after_id}).all()\n',
    },
    {
      name: 'Flask view, a dictionary over several lines: its layout and quotes kept, the cursor read from the request',
      file: 'app.py',
      code: "from flask import request\nfrom sqlalchemy import text\n\n\n@app.get('/posts')\ndef posts():\n    offset = request.args.get('offset', 0, type=int)\n    rows = db.session.execute(\n        text('SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET :offset'),\n        {\n            'offset': offset,\n        },\n    )\n    return rows\n",
      findings: [{ line: 9 }],
      output: "from flask import request\nfrom sqlalchemy import text\n\n\n@app.get('/posts')\ndef posts():\n    offset = request.args.get('offset', 0, type=int)\n    rows = db.session.execute(\n        text('SELECT id FROM posts WHERE id > :after_id ORDER BY id LIMIT 20'),\n        {\n            'after_id': request.args.get(\"after\", type=int),\n        },\n    )\n    return rows\n",
    },
    {
      name: 'SQLAlchemy text().bindparams(name=value)',
      file: 'repo.py',
      code: 'from sqlalchemy import text\n\n\ndef page(conn, n):\n    return conn.execute(text("SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET :n").bindparams(n=n))\n',
      findings: [{ line: 5 }],
      output: 'from sqlalchemy import text\n\n\ndef page(conn, n, after=None):\n    return conn.execute(text("SELECT id FROM posts WHERE id > :after_id ORDER BY id LIMIT 20").bindparams(after_id=after))\n',
    },
    {
      name: 'dict(name=value), a name the offset shares with LIMIT is kept',
      file: 'raw.py',
      code: 'def page(conn, n):\n    conn.execute("SELECT id FROM posts ORDER BY id LIMIT :n * 2 OFFSET :n", dict(n=n))\n',
      findings: [{ line: 2 }],
      output: 'def page(conn, n, after=None):\n    conn.execute("SELECT id FROM posts WHERE id > :after_id ORDER BY id LIMIT :n * 2", dict(n=n, after_id=after))\n',
    },
  ],
});
