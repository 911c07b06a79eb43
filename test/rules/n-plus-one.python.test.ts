import { ruleTests } from '../harness/rule-tester';

const FLASK_MODELS = 'from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\nclass Category(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\nclass Product(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    category_id = db.Column(db.Integer, db.ForeignKey("category.id"), index=True)\n    category = db.relationship("Category")\n';

const DRF_MODELS = 'from django.db import models\n\n\nclass Author(models.Model):\n    name = models.CharField(max_length=100)\n\n\nclass Post(models.Model):\n    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="posts")\n    title = models.CharField(max_length=200)\n\n\nclass Comment(models.Model):\n    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")\n    body = models.TextField()\n';
const DRF_TAGGED_MODELS = DRF_MODELS.replace('    title = models.CharField(max_length=200)\n', '    title = models.CharField(max_length=200)\n    tags = models.ManyToManyField("Tag")\n') + '\n\nclass Tag(models.Model):\n    name = models.CharField(max_length=50)\n';
const DRF_COMMENTER_MODELS = DRF_MODELS.replace('    body = models.TextField()\n', '    body = models.TextField()\n    author = models.ForeignKey(Author, on_delete=models.CASCADE)\n');

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'a method of a class that does not query, and a dict\'s get, per item',
      file: 'app/views.py',
      code: 'class Prices:\n    def get(self, key):\n        return 1\n\n\ndef a(ids):\n    prices = Prices()\n    cache = dict()\n    return [prices.get(i) + cache.get(i, 0) for i in ids]\n',
      why: 'neither method issues a query',
    },
    {
      name: 'a list named objects (OpenStack\'s object lists): append, remove, extend per item',
      file: 'nova/objects/instance.py',
      code: 'from nova import objects\n\n\ndef make_list(context, inst_list, db_insts, cells):\n    for db_inst in db_insts:\n        inst_list.objects.append(objects.Instance(context, uuid=db_inst.uuid))\n    for c in list(cells.objects):\n        cells.objects.remove(c)\n    for key, objs in db_insts.items():\n        lists[key].objects.extend(objs)\n    return inst_list\n',
      why: 'a Django manager has no append, remove or extend: `objects` is a list there',
    },
    {
      name: 'Django: a related manager that selects the relation already, and a list of the items\' names',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_COMMENTER_MODELS },
      code: 'from .models import Post\n\n\ndef detail(request, pk):\n    post = Post.objects.get(pk=pk)\n    names = [c.body for c in post.comments.all()]\n    return [c.author.name for c in post.comments.select_related("author")] + names\n',
      why: 'the author is selected with the comments; body is a column, not a relation',
    },
    {
      name: 'a constant\'s query attribute is not a model (CONFIG.query.get)',
      file: 'views.py',
      code: 'from flask import Flask\nfrom .settings import CONFIG\n\napp = Flask(__name__)\n\n\n@app.route("/a")\ndef a(keys):\n    return [CONFIG.query.get(k) for k in keys]\n',
      why: 'an all-caps name is a constant, not a Flask-SQLAlchemy model',
    },
    {
      name: 'a list of dicts',
      file: 'views.py',
      code: 'def names(rows, users):\n    for row in rows:\n        user = users.get(row["user_id"])\n    return [r["name"] for r in rows]\n',
      why: 'dict lookups, not queries',
    },
    {
      name: 'a query that does not use the item',
      file: 'views.py',
      code: 'from .models import Setting\n\ndef f(items):\n    for item in items:\n        setting = Setting.objects.get(key="currency")\n',
      why: 'loop-invariant: not one query per item',
    },
    {
      name: 'Django: a filter over a chunk of the ids, in a range that steps by the chunk size',
      file: 'views.py',
      code: 'from django.http import JsonResponse\nfrom .models import Article\n\n\ndef titles(request):\n    ids = [int(x) for x in request.GET.getlist("id")]\n    out = []\n    for i in range(0, len(ids), 500):\n        out.extend(Article.objects.filter(id__in=ids[i:i + 500]).values_list("title", flat=True))\n    return JsonResponse({"t": out})\n',
      why: 'one query per 500 ids: batched already',
    },
    {
      name: 'SQLAlchemy: in_() over a chunk variable sliced from the ids',
      file: 'repo.py',
      code: 'from sqlalchemy import select\nfrom sqlalchemy.orm import Session\nfrom .models import Post\n\n\ndef posts(session: Session, ids, size):\n    out = []\n    for start in range(0, len(ids), size):\n        part = ids[start:start + size]\n        out.extend(session.scalars(select(Post).where(Post.id.in_(part))).all())\n    return out\n',
      why: 'one query per chunk of `size` ids',
    },
    {
      name: 'Django: in_bulk over slices indexed by the loop variable (no step in the range)',
      file: 'views.py',
      code: 'from .models import Article\n\n\ndef by_pk(ids):\n    pages = (len(ids) + 499) // 500\n    return [Article.objects.in_bulk(ids[k * 500:(k + 1) * 500]) for k in range(pages)]\n',
      why: 'each k is a chunk of 500 ids',
    },
    {
      name: 'groups of keys by model: Django generic foreign keys by content type, SQLAlchemy select(model) per group',
      file: 'loaders.py',
      code: 'from sqlalchemy import select\n\n\ndef objects(fk_by_ct):\n    out = []\n    for ct, fkeys in fk_by_ct.items():\n        out.extend(ct.get_all_objects_for_this_type(pk__in=fkeys))\n    return out\n\n\ndef by_model(by_model_ids):\n    for model, ids in by_model_ids.items():\n        yield from model.objects.filter(pk__in=ids)\n\n\ndef rows(session, groups):\n    for model, ids in groups:\n        yield session.scalars(select(model).where(model.id.in_(ids))).all()\n\n\ndef resources(session, grouped_by_type, mappers):\n    out = []\n    for (is_history, type), group in grouped_by_type:\n        target_cls = mappers[type]\n        if is_history:\n            f = target_cls.revision.in_([r.revision for r in group])\n        else:\n            f = target_cls.id.in_([r.id for r in group])\n        q = session.query(target_cls).filter(f)\n        out.extend(q.all())\n    return out\n',
      why: 'one query per model, each of another table: the fewest there can be (the filter of the group\'s keys may be built before the query, as Gnocchi does)',
    },
    {
      name: 'a loop over models, each queried with nothing of the item but the model; Django\'s cached Site and ContentType lookups',
      file: 'views.py',
      code: 'from django.apps import apps\nfrom django.contrib.contenttypes.models import ContentType\nfrom django.contrib.sites.models import Site\n\n\ndef purge(request, token):\n    for other_type in [AccessToken, RefreshToken]:\n        other_type.objects.filter(token=token).delete()\n    counts = {model.__name__: model.objects.filter(owner=request.user).count() for model in apps.get_models()}\n    for obj in request.user.things.all():\n        print(Site.objects.get_current().domain, ContentType.objects.get_for_model(obj), ContentType.objects.db_manager("default").get_for_id(obj.ct_id))\n    return counts\n',
      why: 'one query per table; Django answers get_current and get_for_model from its cache after the first call',
    },
    {
      name: 'raw SQL: executemany (one batch), a query without the item, and SQLite\'s in-process queries',
      file: 'jobs.py',
      code: 'import sqlite3\nfrom django.db import connection\n\n\ndef f(ids, rows):\n    with connection.cursor() as cursor:\n        cursor.executemany("INSERT INTO seen (id) VALUES (%s)", [(i,) for i in ids])\n        for i in ids:\n            cursor.execute("SELECT count(*) FROM settings")\n    conn = sqlite3.connect("x.db")\n    for i in ids:\n        conn.execute("SELECT * FROM users WHERE id = ?", (i,))\n',
      why: 'executemany is one batch; SQLite answers many small queries as fast as one (sqlite.org/np1queryprob.html)',
    },
    {
      name: 'a loop over model classes (Ironic\'s version checks), a comprehension over Django\'s models, and a queue read until a sentinel (django-q)',
      file: 'api.py',
      code: 'from django.apps import apps\n\n\ndef check(session, sql_models, mapping, model_query):\n    total = 0\n    for model in sql_models:\n        version = mapping[model.__name__][0]\n        total += session.query(model).filter(model.version != version).count()\n    for model in models_to_check():\n        if not column_exists(model.__tablename__):\n            continue\n        if model_query(model.version).filter(model.version == None).count():\n            return False\n    return total, [m.objects.filter(name=m.__name__).count() for m in apps.get_models()]\n\n\ndef consume(result_queue, Success):\n    for task in iter(result_queue.get, "STOP"):\n        Success.objects.filter(name=task["name"]).update(done=True)\n\n\ndef stale(Version, get_models, using):\n    for model in get_models():\n        print(Version.objects.using(using).filter(model_name=model.__name__).count())\n    for m in registry.models():\n        print(Version.objects.get_for_model(\n            m,\n        ).count())\n',
      why: 'one query per model is as many as the code defines (django-reversion\'s deleterevisions); a queue\'s tasks come one at a time',
    },
    {
      name: "a row per item added to a buffer that a helper bulk-creates when it is full (django-import-export's batches)",
      file: 'resources.py',
      code: 'from django.db import models\n\n\nclass Resource:\n    def __init__(self, model, batch_size=100):\n        self.model = model\n        self.batch_size = batch_size\n        self.create_instances = []\n\n    def bulk_create(self):\n        if self.create_instances:\n            self.model.objects.bulk_create(self.create_instances)\n        self.create_instances = []\n\n    def import_row(self, row):\n        self.create_instances.append(self.model(**row))\n        if len(self.create_instances) == self.batch_size:\n            self.bulk_create()\n\n    def import_data(self, rows):\n        for row in rows:\n            self.import_row(row)\n        self.bulk_create()\n',
      why: 'the bulk write runs once per batch, of what the object gathered',
    },
    {
      name: "raw SQL in a module of SQLite's folder, with no driver imported",
      file: 'app/db/sqlite/backfill.py',
      code: 'def backfill(conn, ids):\n    for i in ids:\n        conn.execute("UPDATE users SET active = 1 WHERE id = ?", (i,))\n',
      why: 'SQLite answers many small queries as fast as one',
    },
    {
      name: "raw SQL: a table of the item's per item (an f-string, in text() or in a local)",
      file: 'views.py',
      code: 'from django.db import connection\nfrom sqlalchemy import text\n\n\ndef counts(session, tables, tenants):\n    with connection.cursor() as cursor:\n        for table in tables:\n            cursor.execute(f"SELECT count(*) FROM {table}")\n        for tenant in tenants:\n            schema = tenant.schema_name\n            session.execute(text(f\'SELECT * FROM "{schema}".orders WHERE id = :i\'), {"i": tenant.id})\n            q = f"DELETE FROM {tenant.table} WHERE stale"\n            cursor.execute(q)\n',
      why: "each item's query reads another table: no one query over the items' keys can read them all",
    },
    {
      name: 'raw SQL: a memoized helper (Django\'s get_citext_oids), and SQLite\'s catalog read in a file that does not import sqlite3',
      file: 'apps.py',
      code: 'import functools\n\n\n@functools.lru_cache\ndef citext_oids(alias):\n    with connections[alias].cursor() as cursor:\n        cursor.execute("SELECT typarray FROM pg_type WHERE typname = %s", [alias])\n        return tuple(row[0] for row in cursor)\n\n\ndef register(connections):\n    for c in connections.all():\n        citext_oids(c.alias)\n\n\ndef table_sql(cursor, names):\n    return [cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = %s", [n]).fetchone() for n in names]\n',
      why: 'the helper runs its query once per alias it is given; sqlite_master is SQLite\'s, an in-process database',
    },
    {
      name: 'a query before the loop',
      file: 'views.py',
      code: 'from .models import Author\n\ndef f(posts):\n    authors = Author.objects.in_bulk([p.author_id for p in posts])\n    return [authors[p.author_id] for p in posts]\n',
      why: 'one batched query whose argument is a comprehension over the items',
    },
  ],
  invalid: [
    {
      name: 'SQL constants of another module, run per item (imported by name and through the module)',
      file: 'app/views.py',
      workspace: { 'app/queries.py': 'FIND_USER = "SELECT id, name FROM users WHERE id = %s"\nTOUCH = """UPDATE users SET seen_at = now() WHERE id = %s"""\nGREETING = "hello"\nTABLES = "SELECT name FROM sqlite_master WHERE type = ?"\n' },
      code: 'from django.db import connection\n\nfrom . import queries\nfrom .queries import FIND_USER, GREETING, TABLES\n\n\ndef f(ids):\n    with connection.cursor() as cursor:\n        for i in ids:\n            cursor.execute(FIND_USER, [i])\n            cursor.execute(queries.TOUCH, [i])\n            print(GREETING, i)\n            cursor.execute(TABLES, [i])\n',
      findings: [
        { line: 10, message: /^`cursor\.execute` runs once per item of `ids` \(N\+1\)/ },
        { line: 11, message: /^`cursor\.execute` writes once per item of `ids`/ },
      ],
    },
    {
      name: 'Django get per item',
      file: 'views.py',
      code: 'from .models import Author\n\ndef f(posts):\n    for post in posts:\n        author = Author.objects.get(pk=post.author_id)\n',
      findings: [{ line: 5, message: /`Author\.objects\.get\(pk=post\.author_id\)` runs once per item of `posts`.*in_bulk/ }],
    },
    {
      name: 'Django filter().count() in a comprehension',
      file: 'views.py',
      code: 'from .models import Comment\n\ndef counts(posts):\n    return {p.id: Comment.objects.filter(post=p).count() for p in posts}\n',
      findings: [{ line: 4 }],
    },
    {
      name: 'Django aggregate per item: one grouped aggregate over all the items, not in_bulk',
      file: 'views.py',
      code: 'from django.db.models import Avg\nfrom .models import Brand, Review\n\n\ndef stats(country):\n    out = {}\n    for b in Brand.objects.filter(country=country):\n        out[b.name] = Review.objects.filter(product__brand=b).aggregate(a=Avg("stars"))["a"]\n    return out\n',
      findings: [{ line: 8, message: /^`Review\.objects\.filter\(product__brand=b\)\.aggregate\(a=Avg\("stars"\)\)` aggregates once per item of `Brand\.objects\.filter\(country=country\)` \(N\+1\): N queries where one would do\. Aggregate them all in one grouped query before the loop, `Review\.objects\.filter\(product__brand__in=Brand\.objects\.filter\(country=country\)\)\.values\("product__brand"\)\.annotate\(a=Avg\("stars"\)\)`, and look each item's row up in a dict by `b\.pk`/ }],
    },
    {
      name: 'Django aggregate per item keyed by an attribute of the item, with another filter kept',
      file: 'views.py',
      code: 'from django.db.models import Sum\nfrom .models import Rating\n\n\ndef totals(articles):\n    return [Rating.objects.filter(article_id=a.id, stars__gte=3).aggregate(s=Sum("stars")) for a in articles]\n',
      findings: [{ line: 6, message: /`Rating\.objects\.filter\(article_id__in=\[a\.id for a in articles\], stars__gte=3\)\.values\("article_id"\)\.annotate\(s=Sum\("stars"\)\)`, and look each item's row up in a dict by `a\.id`/ }],
    },
    {
      name: 'Django aggregate with an unnamed aggregate: the grouped advice in general terms',
      file: 'views.py',
      code: 'from django.db.models import Avg\nfrom .models import Rating\n\n\ndef avgs(articles):\n    return [Rating.objects.filter(article=a).aggregate(Avg("stars")) for a in articles]\n',
      findings: [{ line: 6, message: /aggregates once per item of `articles`[^]*Aggregate them all in one grouped query with `filter\(key__in=ids\)\.values\(key\)\.annotate\(a=Avg\(…\)\)`/ }],
    },
    {
      name: 'Django count per item in a comprehension: the grouped count written out',
      file: 'views.py',
      code: 'from .models import Article, Category\n\n\ndef index(request):\n    return {c.slug: Article.objects.filter(category=c).count() for c in Category.objects.all()}\n',
      findings: [{ line: 5, message: /Count them all in one grouped query before the loop, `Article\.objects\.filter\(category__in=Category\.objects\.all\(\)\)\.values\("category"\)\.annotate\(n=Count\("pk"\)\)`, and look each count up in a dict by `c\.pk`/ }],
    },
    {
      name: 'a helper that aggregates, called per item: grouped advice for the helper',
      file: 'views.py',
      code: 'from django.db.models import Avg\nfrom .models import Rating\n\n\ndef average_rating(article):\n    return Rating.objects.filter(article=article).aggregate(avg=Avg("stars"))["avg"]\n\n\ndef feed(articles):\n    return [average_rating(a) for a in articles]\n',
      findings: [{ line: 10, message: /`average_rating` → `Rating\.objects\.filter\(article=article\)\.aggregate\(avg=Avg\("stars"\)\)` runs a query once per item of `articles` \(N\+1\)\. Make the helper take all the items' keys and aggregate them in one grouped query, e\.g\. `filter\(key__in=ids\)\.values\(key\)\.annotate\(a=Avg\(…\)\)`/ }],
    },
    {
      name: 'SQLAlchemy session.get per item',
      file: 'repo.py',
      code: 'from sqlalchemy.orm import Session\nfrom .models import User\n\ndef f(session: Session, ids):\n    return [session.get(User, i) for i in ids]\n',
      findings: [{ line: 5, message: /in_\(ids\)/ }],
    },
    {
      name: 'SQLAlchemy select per item',
      file: 'repo.py',
      code: 'from sqlalchemy import select\nfrom .models import Order\n\ndef f(session, customers):\n    for c in customers:\n        orders = session.execute(select(Order).where(Order.customer_id == c.id)).scalars().all()\n',
      findings: [{ line: 6 }],
    },
    {
      name: 'raw SQL run per item: a DB-API cursor, SQLAlchemy text() run by the session, a write',
      file: 'views.py',
      code: 'from django.db import connection\nfrom sqlalchemy import text\n\n\ndef f(session, ids):\n    with connection.cursor() as cursor:\n        for i in ids:\n            cursor.execute("SELECT name FROM authors WHERE id = %s", [i])\n            session.execute(text("SELECT * FROM posts WHERE author_id = :a"), {"a": i})\n            cursor.execute("DELETE FROM drafts WHERE author_id = %s", [i])\n',
      findings: [
        { line: 8, message: /^`cursor\.execute\("SELECT name FROM authors WHERE id = %s", \[i\]\)` runs once per item of `ids` \(N\+1\).*ANY\(…\)/ },
        { line: 9, message: /^`session\.execute\(text\("SELECT \* FROM posts WHERE author_id = :a"\), \{"a": i\}\)` runs once per item of `ids`/ },
        { line: 10, message: /writes once per item of `ids` \(N\+1 writes\).*Delete them all with one `DELETE … WHERE id = ANY\(…\)`/ },
      ],
    },
    {
      name: "a loop over instances that reads their _meta (not a loop over models)",
      file: 'views.py',
      code: 'from .models import Comment\n\n\ndef dump(objs):\n    for obj in objs:\n        names = [f.name for f in obj._meta.fields]\n        print(names, Comment.objects.filter(post=obj).count())\n',
      findings: [{ line: 7, message: /counts once per item of `objs`/ }],
    },
    {
      name: 'bulk_create of one row per item is a write per item',
      file: 'views.py',
      code: 'from .models import Post\n\n\ndef save_each(rows):\n    for row in rows:\n        Post.objects.bulk_create([Post(**row)])\n',
      findings: [{ line: 6, message: /writes once per item of `rows` \(N\+1 writes\).*Insert them all with one `bulk_create\(\[\.\.\.\]\)`/ }],
    },
    {
      name: "Django admin's LogEntry.objects.log_action per item is a write",
      file: 'admin.py',
      code: 'from django.contrib.admin.models import CHANGE, LogEntry\n\n\ndef log_changes(request, queryset, content_type_id):\n    for obj in queryset:\n        LogEntry.objects.log_action(user_id=request.user.pk, content_type_id=content_type_id, object_id=obj.pk, object_repr=str(obj), action_flag=CHANGE)\n',
      findings: [{ line: 6, message: /writes once per item of `queryset` \(N\+1 writes\).*Insert them all with one `bulk_create\(\[\.\.\.\]\)`/ }],
    },
    {
      name: 'raw SQL: a table named by a constant, filtered by the item per item',
      file: 'views.py',
      code: 'from django.db import connection\n\nTABLE = "users"\n\n\ndef f(ids):\n    with connection.cursor() as cursor:\n        for i in ids:\n            cursor.execute(f"SELECT * FROM {TABLE} WHERE id = %s", [i])\n',
      findings: [{ line: 9, message: /runs once per item of `ids` \(N\+1\)/ }],
    },
    {
      name: 'raw SQL held in a constant of the module or the function, run per item',
      file: 'repo.py',
      code: 'import psycopg2\n\nFIND_AUTHOR = "SELECT name FROM authors WHERE id = %s"\n\n\ndef f(conn, ids):\n    cur = conn.cursor()\n    delete = "DELETE FROM drafts WHERE author_id = %s"\n    for i in ids:\n        cur.execute(FIND_AUTHOR, [i])\n        cur.execute(delete, [i])\n',
      findings: [{ line: 10, message: /^`cur\.execute\(FIND_AUTHOR, \[i\]\)` runs once per item of `ids`/ }, { line: 11, message: /writes once per item of `ids` \(N\+1 writes\)/ }],
    },
    {
      name: 'Django: one model filtered by each item\'s own list, and a group\'s model with a list of one key',
      file: 'views.py',
      code: 'from .models import Post\n\n\ndef feed(users, groups, session):\n    for user in users:\n        print(list(Post.objects.filter(author_id__in=user.friend_ids)))\n    for model, pk in groups:\n        print(model.objects.filter(pk__in=[pk]).first())\n    for model, pk in groups:\n        f = model.id.in_([pk])\n        print(session.query(model).filter(f).first())\n',
      findings: [{ line: 6 }, { line: 8 }, { line: 11 }],
    },
    {
      name: 'Django: a chunk of one id per item is still one query per item',
      file: 'views.py',
      code: 'from .models import Article\n\n\ndef titles(ids):\n    for i in range(len(ids)):\n        print(Article.objects.filter(id__in=ids[i:i + 1]).first())\n',
      findings: [{ line: 6 }],
    },
    {
      name: 'Django: a slice of each item\'s own keys is per item',
      file: 'views.py',
      code: 'from .models import Post\n\n\ndef latest(users):\n    for u in users:\n        print(list(Post.objects.filter(id__in=u.post_ids[0:5])))\n',
      findings: [{ line: 6 }],
    },
    {
      name: 'SQLAlchemy: a stepped range whose query looks up one id (not a chunk)',
      file: 'repo.py',
      code: 'from sqlalchemy import select\nfrom .models import Post\n\n\ndef firsts(session, ids):\n    for i in range(0, len(ids), 2):\n        print(session.scalars(select(Post).where(Post.id == ids[i])).first())\n',
      findings: [{ line: 7 }],
    },
    {
      name: 'Django create per item',
      file: 'views.py',
      code: 'from .models import Tag\n\ndef f(names):\n    for name in names:\n        Tag.objects.create(name=name)\n',
      findings: [{ line: 5, message: /bulk_create/ }],
    },
    {
      name: 'Django delete per item: one delete over the keys',
      file: 'views.py',
      code: 'from .models import Tag\n\ndef f(names):\n    for name in names:\n        Tag.objects.filter(name=name).delete()\n',
      findings: [{ line: 5, message: /^(?!.*bulk_create).*Delete them all with one `filter\(pk__in=ids\)\.delete\(\)`\.$/ }],
    },
  ],
});

const MODELS = `from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)


class Tag(models.Model):
    name = models.CharField(max_length=50)


class Post(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="posts")
    editor = models.ForeignKey("blog.Author", null=True, on_delete=models.SET_NULL, related_name="+")
    tags = models.ManyToManyField(Tag)
`;

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'select_related already present',
      file: 'views.py',
      workspace: { 'models.py': MODELS },
      code: 'from .models import Post\n\ndef f(request):\n    posts = Post.objects.select_related("author").all()\n    return [p.author.name for p in posts]\n',
      why: 'the relation is loaded with the posts',
    },
    {
      name: 'prefetch_related with a Prefetch object',
      file: 'views.py',
      workspace: { 'models.py': MODELS },
      code: 'from django.db.models import Prefetch\nfrom .models import Post, Tag\n\ndef f(request):\n    for post in Post.objects.prefetch_related(Prefetch("tags", queryset=Tag.objects.all())):\n        print(post.tags.all())\n',
      why: 'prefetched',
    },
    {
      name: 'the foreign key id attribute',
      file: 'views.py',
      workspace: { 'models.py': MODELS },
      code: 'from .models import Post\n\ndef f(request):\n    return [p.author_id for p in Post.objects.all()]\n',
      why: 'author_id is a column of posts, no query',
    },
    {
      name: 'values() yields dicts',
      file: 'views.py',
      workspace: { 'models.py': MODELS },
      code: 'from .models import Post\n\ndef f(request):\n    return [row["title"] for row in Post.objects.values("title", "author")]\n',
      why: 'no model instances, no lazy relations',
    },
    {
      name: 'a plain column',
      file: 'views.py',
      workspace: { 'models.py': MODELS },
      code: 'from .models import Post\n\ndef f(request):\n    return [p.title for p in Post.objects.all()]\n',
      why: 'title is not a relation',
    },
    {
      name: 'select_related() with no arguments',
      file: 'views.py',
      workspace: { 'models.py': MODELS },
      code: 'from .models import Post\n\ndef f(request):\n    return [p.author.name for p in Post.objects.select_related()]\n',
      why: 'follows every foreign key',
    },
    {
      name: 'a foreign key set on each item, and read after it was set (hyperkitty\'s thread_starting_email job)',
      file: 'jobs.py',
      workspace: { 'models.py': MODELS },
      code: 'from .models import Post\n\n\ndef assign(default_author, editor):\n    for post in Post.objects.filter(author__isnull=True):\n        post.author = default_author\n        if post.author is None:\n            continue\n        post.author, post.title = editor, "x"\n        print(post.author.name)\n',
      why: 'setting a relation loads nothing, and the ORM keeps the object it was set to',
    },
  ],
  invalid: [
    {
      name: 'lazy foreign key in a comprehension',
      file: 'views.py',
      workspace: { 'models.py': MODELS },
      code: 'from .models import Post\n\ndef f(request):\n    posts = Post.objects.filter(published=True).order_by("-id")[:20]\n    return [p.author.name for p in posts]\n',
      findings: [{ line: 5, message: /`p\.author` loads one Author per item of `posts`.*select_related\("author"\)/ }],
      output: 'from .models import Post\n\ndef f(request):\n    posts = Post.objects.filter(published=True).order_by("-id").select_related("author")[:20]\n    return [p.author.name for p in posts]\n',
    },
    {
      name: 'lazy many-to-many in a for loop',
      file: 'views.py',
      workspace: { 'models.py': MODELS },
      code: 'from .models import Post\n\ndef f(request):\n    for post in Post.objects.all():\n        print([t.name for t in post.tags.all()])\n',
      findings: [{ line: 5, message: /prefetch_related\("tags"\)/ }],
      output: 'from .models import Post\n\ndef f(request):\n    for post in Post.objects.all().prefetch_related("tags"):\n        print([t.name for t in post.tags.all()])\n',
    },
    {
      name: 'a reverse relation through related_name',
      file: 'views.py',
      workspace: { 'models.py': MODELS },
      code: 'from .models import Author\n\ndef f(request):\n    return {a.name: a.posts.count() for a in Author.objects.all()}\n',
      findings: [{ line: 4, message: /`a\.posts` queries Post rows per item.*prefetch_related\("posts"\)/ }],
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'a helper function called per item',
      file: 'services.py',
      code: 'from .models import Customer\n\n\ndef customer_for(order):\n    return Customer.objects.get(pk=order.customer_id)\n\n\ndef names(orders):\n    return [customer_for(o).name for o in orders]\n',
      findings: [{ line: 9, message: /`customer_for` → `Customer\.objects\.get\(pk=order\.customer_id\)` runs a query once per item of `orders`/ }],
    },
  ],
});

const SA_MODELS = `from sqlalchemy import ForeignKey
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    posts: Mapped[list["Post"]] = relationship(back_populates="author")
    settings: Mapped["Settings"] = relationship(lazy="joined")


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author: Mapped["User"] = relationship(back_populates="posts")
`;

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'SQLAlchemy selectinload already present',
      file: 'repo.py',
      workspace: { 'models.py': SA_MODELS },
      code: 'from sqlalchemy import select\nfrom sqlalchemy.orm import selectinload\nfrom .models import Post\n\ndef f(session):\n    posts = session.scalars(select(Post).options(selectinload(Post.author))).all()\n    return [p.author.name for p in posts]\n',
      why: 'eager-loaded with the posts',
    },
    {
      name: 'SQLAlchemy relationship declared lazy="joined"',
      file: 'repo.py',
      workspace: { 'models.py': SA_MODELS },
      code: 'from sqlalchemy import select\nfrom .models import User\n\ndef f(session):\n    return [u.settings.theme for u in session.scalars(select(User))]\n',
      why: 'the relationship is eager by declaration',
    },
    {
      name: 'SQLAlchemy 2.0: the statement in a variable loads the relationship already',
      file: 'repo.py',
      workspace: { 'models.py': SA_MODELS },
      code: 'from sqlalchemy import select\nfrom sqlalchemy.orm import selectinload\nfrom .models import Post\n\ndef f(session):\n    stmt = select(Post).options(selectinload(Post.author))\n    result = session.execute(stmt)\n    return [p.author.name for p in result.scalars()]\n',
      why: 'selectinload on the statement the result came from',
    },
  ],
  invalid: [
    {
      name: 'SQLAlchemy 2.0 lazy relationship per item',
      file: 'repo.py',
      workspace: { 'models.py': SA_MODELS },
      code: 'from sqlalchemy import select\nfrom sqlalchemy.orm import Session\nfrom .models import Post\n\ndef f(session: Session):\n    posts = session.scalars(select(Post).where(Post.id > 10)).all()\n    return [p.author.name for p in posts]\n',
      findings: [{ line: 7, message: /`p\.author` loads User lazily per item of `posts`.*selectinload\(Post\.author\)/ }],
      output: 'from sqlalchemy import select\nfrom sqlalchemy.orm import Session, selectinload\nfrom .models import Post\n\ndef f(session: Session):\n    posts = session.scalars(select(Post).where(Post.id > 10).options(selectinload(Post.author))).all()\n    return [p.author.name for p in posts]\n',
    },
    {
      name: 'SQLAlchemy 2.0: the statement in a variable, then session.scalars(stmt)',
      file: 'repo.py',
      workspace: { 'models.py': SA_MODELS },
      code: 'from sqlalchemy import select\nfrom sqlalchemy.orm import Session\nfrom .models import Post\n\ndef f(session: Session):\n    stmt = select(Post).order_by(Post.id)\n    posts = session.scalars(stmt).all()\n    return [p.author.name for p in posts]\n',
      findings: [{ line: 8, message: /`p\.author` loads User lazily per item of `posts`.*selectinload\(Post\.author\)/ }],
      output: 'from sqlalchemy import select\nfrom sqlalchemy.orm import Session, selectinload\nfrom .models import Post\n\ndef f(session: Session):\n    stmt = select(Post).order_by(Post.id).options(selectinload(Post.author))\n    posts = session.scalars(stmt).all()\n    return [p.author.name for p in posts]\n',
    },
    {
      name: 'SQLAlchemy 2.0 async: the result in a variable, then result.scalars()',
      file: 'repo.py',
      workspace: { 'models.py': SA_MODELS },
      code: 'from sqlalchemy import select\nfrom .models import Post\n\nasync def f(session):\n    result = await session.execute(select(Post))\n    return [p.author.name for p in result.scalars()]\n',
      findings: [{ line: 6, message: /per item of `result\.scalars\(\)`/ }],
      output: 'from sqlalchemy import select\nfrom .models import Post\nfrom sqlalchemy.orm import selectinload\n\nasync def f(session):\n    result = await session.execute(select(Post).options(selectinload(Post.author)))\n    return [p.author.name for p in result.scalars()]\n',
    },
    {
      name: 'SQLAlchemy 2.0 async: awaited scalars in a variable, then result.all() in another',
      file: 'repo.py',
      workspace: { 'models.py': SA_MODELS },
      code: 'from sqlalchemy import select\nfrom .models import Post\n\nasync def g(session):\n    result = await session.scalars(select(Post).limit(20))\n    posts = result.all()\n    return [p.author.name for p in posts]\n',
      findings: [{ line: 7, message: /per item of `posts`/ }],
      output: 'from sqlalchemy import select\nfrom .models import Post\nfrom sqlalchemy.orm import selectinload\n\nasync def g(session):\n    result = await session.scalars(select(Post).limit(20).options(selectinload(Post.author)))\n    posts = result.all()\n    return [p.author.name for p in posts]\n',
    },
    {
      name: 'legacy Query, to-many relationship in a for loop',
      file: 'repo.py',
      workspace: { 'models.py': SA_MODELS },
      code: 'from .models import User\n\ndef f(db):\n    for user in db.query(User).filter(User.id < 100).all():\n        print(len(user.posts))\n',
      findings: [{ line: 5 }],
      output: 'from .models import User\nfrom sqlalchemy.orm import selectinload\n\ndef f(db):\n    for user in db.query(User).filter(User.id < 100).options(selectinload(User.posts)).all():\n        print(len(user.posts))\n',
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'SQLAlchemy: adds in a loop, one commit after it',
      file: 'jobs.py',
      code: 'from sqlalchemy.orm import Session\nfrom .models import Hero\n\n\ndef copy(session: Session, heroes):\n    for h in heroes:\n        session.add(Hero(name=h.name))\n    session.commit()\n',
      why: 'one transaction for all the rows',
    },
    {
      name: 'SQLAlchemy: a commit in a loop that adds nothing (a retry)',
      file: 'jobs.py',
      code: 'from sqlalchemy.orm import Session\n\n\ndef retry(session: Session):\n    for attempt in range(3):\n        try:\n            session.commit()\n            return\n        except Exception:\n            session.rollback()\n',
      why: 'no row is written per item',
    },
  ],
  invalid: [
    {
      name: 'SQLModel: an add and a commit per item',
      file: 'main.py',
      code: 'from sqlmodel import Session\nfrom .models import Hero\n\n\ndef copy(session: Session, heroes):\n    for h in heroes:\n        session.add(Hero(name=h.name + "!"))\n        session.commit()\n',
      findings: [{ line: 8, message: /`session\.commit\(\)` commits once per item of `heroes` \(N\+1 writes\): a transaction and a round trip per row\. Add them all, then commit once after the loop/ }],
      output: 'from sqlmodel import Session\nfrom .models import Hero\n\n\ndef copy(session: Session, heroes):\n    for h in heroes:\n        session.add(Hero(name=h.name + "!"))\n    session.commit()\n',
    },
    {
      name: 'Flask-SQLAlchemy: lazy relationship of the items of Product.query.all(), in a view that imports only flask and its models',
      file: 'views.py',
      workspace: { 'models.py': FLASK_MODELS },
      code: 'from flask import Flask\nfrom .models import Product\n\napp = Flask(__name__)\n\n\n@app.route("/products")\ndef products():\n    return [p.category.id for p in Product.query.all()]\n',
      findings: [{ line: 9, message: /`p\.category` loads Category lazily per item of `Product\.query\.all\(\)`/ }],
      output: 'from flask import Flask\nfrom .models import Product\nfrom sqlalchemy.orm import selectinload\n\napp = Flask(__name__)\n\n\n@app.route("/products")\ndef products():\n    return [p.category.id for p in Product.query.options(selectinload(Product.category)).all()]\n',
    },
    {
      name: 'Flask-SQLAlchemy: Product.query.get, get_or_404, db.session.get and db.get_or_404 per item',
      file: 'views.py',
      workspace: { 'models.py': FLASK_MODELS },
      code: 'from flask import Flask\nfrom .models import Product, db\n\napp = Flask(__name__)\n\n\n@app.route("/a")\ndef a(ids):\n    return [Product.query.get(i) for i in ids] + [Product.query.get_or_404(i) for i in ids]\n\n\n@app.route("/b")\ndef b(ids):\n    return [db.session.get(Product, i) for i in ids] + [db.get_or_404(Product, i) for i in ids]\n',
      findings: [
        { line: 9, message: /`Product\.query\.get\(i\)` runs once per item of `ids`/ },
        { line: 9, message: /`Product\.query\.get_or_404\(i\)`/ },
        { line: 14, message: /`db\.session\.get\(Product, i\)`/ },
        { line: 14, message: /`db\.get_or_404\(Product, i\)`/ },
      ],
      noFix: true,
    },
    {
      name: 'Flask-SQLAlchemy: a service module that imports only its models (Model.query is the evidence)',
      file: 'services.py',
      workspace: { 'models.py': FLASK_MODELS },
      code: 'from .models import Category, Product\n\n\ndef counts():\n    return {c.id: Product.query.filter_by(category_id=c.id).count() for c in Category.query.all()}\n',
      findings: [{ line: 5, message: /`Product\.query\.filter_by\(category_id=c\.id\)\.count\(\)` counts once per item of `Category\.query\.all\(\)`/ }],
      noFix: true,
    },
    {
      name: 'a repository method per item: the instance made from a class of this file, or of another module, or a parameter typed with it',
      file: 'app/views.py',
      workspace: { 'models.py': SA_MODELS, 'app/repo.py': 'from sqlalchemy.ext.asyncio import AsyncSession\n\nfrom .models import Post\n\n\nclass PostRepo:\n    def __init__(self, session: AsyncSession):\n        self.session = session\n\n    async def get(self, post_id):\n        return await self.session.get(Post, post_id)\n' },
      code: 'from sqlalchemy.ext.asyncio import AsyncSession\n\nfrom .models import Post\nfrom .repo import PostRepo\n\n\nclass LocalRepo:\n    def __init__(self, session: AsyncSession):\n        self.session = session\n\n    async def get(self, post_id):\n        return await self.session.get(Post, post_id)\n\n\nasync def a(ids, session: AsyncSession):\n    repo = PostRepo(session)\n    return [await repo.get(i) for i in ids]\n\n\nasync def b(ids, repo: LocalRepo):\n    return [await repo.get(i) for i in ids]\n',
      findings: [{ line: 17, message: /`PostRepo\.get` → `self\.session\.get\(Post, post_id\)` runs a query once per item of `ids`/ }, { line: 21, message: /`LocalRepo\.get` → `self\.session\.get\(Post, post_id\)`/ }],
      noFix: true,
    },
    {
      name: 'Flask-SQLAlchemy: a commit inside an if of the loop gets the message, not the move',
      file: 'views.py',
      code: 'from flask_sqlalchemy import SQLAlchemy\nfrom .models import Hero\n\ndb = SQLAlchemy()\n\n\ndef copy(heroes):\n    for h in heroes:\n        db.session.add(Hero(name=h.name))\n        if h.urgent:\n            db.session.commit()\n    return len(heroes)\n',
      findings: [{ line: 11, message: /`db\.session\.commit\(\)` commits once per item of `heroes`/ }],
      noFix: true,
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'a query helper imported from a relative module',
      file: 'views.py',
      workspace: { 'services.py': 'from .models import Customer\n\n\ndef customer_for(order):\n    return Customer.objects.get(pk=order.customer_id)\n' },
      code: 'from .services import customer_for as find_customer\n\n\ndef names(orders):\n    return [find_customer(o).name for o in orders]\n',
      findings: [{ line: 5, message: /`customer_for` → `Customer\.objects\.get/ }],
    },
    {
      name: 'a query helper called on a module the view imports (`from . import services`)',
      file: 'shop/views.py',
      workspace: { 'shop/services.py': 'from .models import Customer\n\n\ndef customer_for(order):\n    return Customer.objects.get(pk=order.customer_id)\n' },
      code: 'from . import services\n\n\ndef names(orders):\n    for o in orders:\n        print(services.customer_for(o).name)\n',
      findings: [{ line: 6, message: /`customer_for` → `Customer\.objects\.get\(pk=order\.customer_id\)` runs a query once per item of `orders`/ }],
    },
    {
      name: 'a query helper of a project module imported whole (`import shop.services as services`)',
      file: 'shop/views.py',
      workspace: { 'shop/services.py': 'from .models import Customer\n\n\ndef customer_for(order):\n    return Customer.objects.get(pk=order.customer_id)\n' },
      code: 'import json\nimport shop.services as services\n\n\ndef names(orders):\n    return [json.dumps(services.customer_for(o).name) for o in orders]\n',
      findings: [{ line: 6, message: /`customer_for` → `Customer\.objects\.get/ }],
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'a Graphene Query resolver',
      file: 'schema.py',
      code: 'import graphene\nfrom .models import Post\n\n\nclass Query(graphene.ObjectType):\n    post = graphene.Field(PostType, id=graphene.Int())\n\n    def resolve_post(root, info, id):\n        return Post.objects.get(pk=id)\n',
      why: 'root fields run once per operation',
    },
  ],
  invalid: [
    {
      name: 'a Graphene field resolver querying per parent',
      file: 'schema.py',
      code: 'import graphene\nfrom .models import Comment\n\n\nclass PostType(graphene.ObjectType):\n    comment_count = graphene.Int()\n\n    def resolve_comment_count(parent, info):\n        return Comment.objects.filter(post_id=parent.id).count()\n',
      findings: [{ line: 9, message: /once per `PostType`.*DataLoader/ }],
    },
    {
      name: 'a Strawberry field on a type, using self',
      file: 'schema.py',
      code: 'import strawberry\nfrom sqlalchemy import select\nfrom .models import User\n\n\n@strawberry.type\nclass Post:\n    author_id: int\n\n    @strawberry.field\n    def author(self, info) -> "UserType":\n        return info.context.session.execute(select(User).where(User.id == self.author_id)).scalar_one()\n',
      findings: [{ line: 12 }],
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'Django get(pk=…) per item: one in_bulk before the loop',
      file: 'views.py',
      code: 'from .models import BlogAuthor\n\n\ndef f(posts):\n    names = []\n    for post in posts:\n        author = BlogAuthor.objects.get(pk=post.author_id)\n        names.append(author.name)\n    return names\n',
      findings: [{ line: 7, message: /in_bulk/ }],
      output: 'from .models import BlogAuthor\n\n\ndef f(posts):\n    names = []\n    blog_author_by_pk = BlogAuthor.objects.in_bulk([post.author_id for post in posts])\n    for post in posts:\n        author = blog_author_by_pk.get(post.author_id)\n        names.append(author.name)\n    return names\n',
    },
    {
      name: 'Django get on another unique field',
      file: 'views.py',
      code: 'from .models import Customer\n\n\ndef f(orders):\n    for order in orders:\n        Customer.objects.get(email=order.email)\n',
      findings: [{ line: 6 }],
      output: 'from .models import Customer\n\n\ndef f(orders):\n    customer_by_email = Customer.objects.in_bulk([order.email for order in orders], field_name="email")\n    for order in orders:\n        customer_by_email.get(order.email)\n',
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'SQLAlchemy session.get per item: one select … in_ before the loop',
      file: 'repo.py',
      code: 'from sqlalchemy.orm import Session\nfrom .models import User\n\n\ndef owners(session: Session, items):\n    out = []\n    for item in items:\n        out.append(session.get(User, item.owner_id))\n    return out\n',
      findings: [{ line: 8 }],
      output: 'from sqlalchemy.orm import Session\nfrom .models import User\nfrom sqlalchemy import select\n\n\ndef owners(session: Session, items):\n    out = []\n    user_by_id = {row.id: row for row in session.scalars(select(User).where(User.id.in_([item.owner_id for item in items])))}\n    for item in items:\n        out.append(user_by_id.get(item.owner_id))\n    return out\n',
    },
    {
      name: 'SQLAlchemy AsyncSession.get awaited per item: the select is awaited before the loop, the lookup is not',
      file: 'main.py',
      code: 'from fastapi import FastAPI\nfrom sqlalchemy.ext.asyncio import AsyncSession\nfrom models import User\napp = FastAPI()\n\n@app.post("/bulk")\nasync def bulk(ids: list[int], session: AsyncSession):\n    out = []\n    for i in ids:\n        out.append(await session.get(User, i))\n    return out\n',
      findings: [{ line: 10 }],
      output: 'from fastapi import FastAPI\nfrom sqlalchemy.ext.asyncio import AsyncSession\nfrom models import User\nfrom sqlalchemy import select\napp = FastAPI()\n\n@app.post("/bulk")\nasync def bulk(ids: list[int], session: AsyncSession):\n    out = []\n    user_by_id = {row.id: row for row in (await session.scalars(select(User).where(User.id.in_(ids))))}\n    for i in ids:\n        out.append(user_by_id.get(i))\n    return out\n',
    },
    {
      name: 'an async session known by its awaited get alone (no annotation)',
      file: 'repo.py',
      code: 'from sqlalchemy import select\nfrom .models import User\n\n\nasync def owners(db, items):\n    for item in items:\n        user = await db.get(User, item.owner_id)\n        print(user.name)\n',
      findings: [{ line: 7 }],
      output: 'from sqlalchemy import select\nfrom .models import User\n\n\nasync def owners(db, items):\n    user_by_id = {row.id: row for row in (await db.scalars(select(User).where(User.id.in_([item.owner_id for item in items]))))}\n    for item in items:\n        user = user_by_id.get(item.owner_id)\n        print(user.name)\n',
    },
    {
      name: 'an AsyncSession get that is not awaited where it is called (gathered) gets the message only',
      file: 'repo.py',
      code: 'import asyncio\nfrom sqlalchemy.ext.asyncio import AsyncSession\nfrom .models import User\n\n\nasync def owners(session: AsyncSession, ids):\n    pending = []\n    for i in ids:\n        pending.append(session.get(User, i))\n    return await asyncio.gather(*pending)\n',
      findings: [{ line: 9, message: /in_\(ids\)/ }],
      noFix: true,
    },
  ],
});

// Peewee: foreign keys and backrefs read per row of a select.
const PEEWEE_MODELS = 'from peewee import CharField, ForeignKeyField, Model, SqliteDatabase\n\ndb = SqliteDatabase("app.db")\n\n\nclass BaseModel(Model):\n    class Meta:\n        database = db\n\n\nclass User(BaseModel):\n    username = CharField()\n\n\nclass Tweet(BaseModel):\n    user = ForeignKeyField(User, backref="tweets")\n    content = CharField()\n';
ruleTests('n-plus-one', {
  valid: [
    {
      name: 'Peewee: the user selected and joined with the tweets',
      file: 'app/views.py',
      workspace: { 'app/models.py': PEEWEE_MODELS },
      code: 'from peewee import fn\nfrom .models import Tweet, User\n\n\ndef timeline():\n    for tweet in Tweet.select(Tweet, User).join(User):\n        print(tweet.user.username)\n',
      why: 'the join loaded each tweet\'s user',
    },
    {
      name: 'Peewee: prefetched',
      file: 'app/views.py',
      workspace: { 'app/models.py': PEEWEE_MODELS },
      code: 'from peewee import prefetch\nfrom .models import Tweet, User\n\n\ndef timeline():\n    for tweet in prefetch(Tweet.select(), User):\n        print(tweet.user.username)\n',
      why: 'prefetch loaded the users in one more query',
    },
    {
      name: 'Peewee: the foreign key id itself',
      file: 'app/views.py',
      workspace: { 'app/models.py': PEEWEE_MODELS },
      code: 'import peewee\nfrom .models import Tweet\n\n\ndef timeline():\n    return [tweet.user_id for tweet in Tweet.select()]\n',
      why: 'user_id is a column of the tweet row',
    },
  ],
  invalid: [
    {
      name: 'Peewee: tweet.user per row gets prefetch (safe, the query is the loop\'s iterable)',
      file: 'app/views.py',
      workspace: { 'app/models.py': PEEWEE_MODELS },
      code: 'import peewee\nfrom .models import Tweet, User\n\n\ndef timeline():\n    for tweet in Tweet.select().where(Tweet.content != ""):\n        print(tweet.user.username)\n',
      findings: [{ line: 7, message: /`tweet\.user` loads one User per item of `Tweet\.select\(\)\.where\(Tweet\.content != ""\)` \(a lazy foreign key\): N\+1 queries/ }],
      output: 'import peewee\nfrom .models import Tweet, User\nfrom peewee import prefetch\n\n\ndef timeline():\n    for tweet in prefetch(Tweet.select().where(Tweet.content != ""), User):\n        print(tweet.user.username)\n',
    },
    {
      name: 'Peewee: a backref iterated per user (message; the query is a variable)',
      file: 'app/views.py',
      workspace: { 'app/models.py': PEEWEE_MODELS },
      code: 'import peewee\nfrom .models import Tweet, User\n\n\ndef counts():\n    users = User.select()\n    return {u.username: len(list(u.tweets)) for u in users}\n',
      findings: [{ line: 7, message: /`u\.tweets` queries Tweet rows per item of `users` \(a backref\)/ }],
    },
    {
      name: 'Peewee: a backref counted per row gets the aggregate advice, not prefetch (a prefetched backref is a list, whose count() needs an argument)',
      file: 'app/views.py',
      workspace: { 'app/models.py': PEEWEE_MODELS },
      code: 'import peewee\nfrom .models import Tweet, User\n\n\ndef counts():\n    return {u.username: u.tweets.count() for u in User.select()}\n',
      findings: [{ line: 6, message: /`u\.tweets\.count\(\)` runs a COUNT query per item of `User\.select\(\)` \(a backref\): N\+1 queries\. Count in the query instead: `\.select\(User, fn\.COUNT\(Tweet\.id\)/ }],
      noFix: true,
    },
    {
      name: 'Peewee: a view that imports only its models (Model.select() is Peewee\'s own shape)',
      file: 'app/views.py',
      workspace: { 'app/models.py': PEEWEE_MODELS },
      code: 'from .models import Tweet, User\n\n\ndef timeline():\n    for tweet in Tweet.select():\n        print(tweet.user.username)\n',
      findings: [{ line: 6, message: /`tweet\.user` loads one User per item of `Tweet\.select\(\)`/ }],
      output: 'from .models import Tweet, User\nfrom peewee import prefetch\n\n\ndef timeline():\n    for tweet in prefetch(Tweet.select(), User):\n        print(tweet.user.username)\n',
    },
  ],
});

// DRF: a view serializes every row of its queryset; the serializer reads relations of each object.
const DRF_NESTED_SERIALIZERS = 'from rest_framework import serializers\n\nfrom .models import Author, Comment, Post\n\n\nclass AuthorSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Author\n        fields = ["id", "name"]\n\n\nclass CommentSerializer(serializers.ModelSerializer):\n    author = AuthorSerializer(read_only=True)\n\n    class Meta:\n        model = Comment\n        fields = ["id", "body", "author"]\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    comments = CommentSerializer(many=True, read_only=True)\n\n    class Meta:\n        model = Post\n        fields = ["id", "title", "comments"]\n';
const DRF_SERIALIZERS = 'from rest_framework import serializers\n\nfrom .models import Comment, Post\n\n\nclass CommentSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Comment\n        fields = ["id", "body"]\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    author_name = serializers.CharField(source="author.name")\n    comments = CommentSerializer(many=True, read_only=True)\n    comment_count = serializers.SerializerMethodField()\n    title_length = serializers.SerializerMethodField()\n\n    class Meta:\n        model = Post\n        fields = ["id", "title", "author_name", "comments", "comment_count", "title_length"]\n\n    def get_comment_count(self, obj):\n        return obj.comments.count()\n\n    def get_title_length(self, obj):\n        return len(obj.title)\n';
ruleTests('n-plus-one', {
  valid: [
    {
      name: 'DRF: the viewset queryset already loads what the serializer reads',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS, 'blog/serializers.py': DRF_SERIALIZERS },
      code: 'from rest_framework import viewsets\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostViewSet(viewsets.ModelViewSet):\n    queryset = Post.objects.select_related("author").prefetch_related("comments")\n    serializer_class = PostSerializer\n',
      why: 'select_related and prefetch_related load both relations with the list',
    },
    {
      name: 'DRF: a serializer that reads only columns of the row',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS, 'blog/serializers.py': 'from rest_framework import serializers\n\nfrom .models import Post\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    headline = serializers.CharField(source="title")\n    length = serializers.SerializerMethodField()\n\n    class Meta:\n        model = Post\n        fields = ["id", "headline", "length"]\n\n    def get_length(self, obj):\n        return len(obj.title)\n' },
      code: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.all()\n    serializer_class = PostSerializer\n',
      why: 'title is a column of the post row',
    },
  ],
  invalid: [
    {
      name: 'DRF: a viewset whose serializer (another file) reads a foreign key, a nested list and a count per object',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS, 'blog/serializers.py': DRF_SERIALIZERS },
      code: 'from rest_framework import viewsets\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostViewSet(viewsets.ModelViewSet):\n    queryset = Post.objects.all()\n    serializer_class = PostSerializer\n',
      findings: [
        { line: 8, message: /`PostSerializer` reads `author` of each Post it serializes \(`source="author\.name"`\): a list of N rows runs N more queries \(N\+1\)\. Add `select_related\("author"\)` to the queryset\./ },
        { line: 8, message: /`PostSerializer` reads `comments` of each Post it serializes \(`CommentSerializer\(many=True, read_only=True\)`\)[^]*Add `prefetch_related\("comments"\)`/ },
      ],
      output: 'from rest_framework import viewsets\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostViewSet(viewsets.ModelViewSet):\n    queryset = Post.objects.all().select_related("author")\n    serializer_class = PostSerializer\n',
    },
    {
      name: 'DRF: a get_queryset() of the view, and a function view that serializes a queryset with many=True',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS, 'blog/serializers.py': DRF_SERIALIZERS },
      code: 'from rest_framework import viewsets\nfrom rest_framework.decorators import api_view\nfrom rest_framework.response import Response\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass MinePosts(viewsets.ReadOnlyModelViewSet):\n    serializer_class = PostSerializer\n\n    def get_queryset(self):\n        return Post.objects.filter(author__name=self.request.user.username).select_related("author")\n\n\n@api_view(["GET"])\ndef latest(request):\n    posts = Post.objects.order_by("-id")[:20]\n    return Response(PostSerializer(posts, many=True).data)\n',
      findings: [
        { line: 13, message: /`PostSerializer` reads `comments` of each Post/ },
        { line: 18, message: /`PostSerializer` reads `author` of each Post/ },
        { line: 18, message: /`PostSerializer` reads `comments` of each Post/ },
      ],
      output: 'from rest_framework import viewsets\nfrom rest_framework.decorators import api_view\nfrom rest_framework.response import Response\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass MinePosts(viewsets.ReadOnlyModelViewSet):\n    serializer_class = PostSerializer\n\n    def get_queryset(self):\n        return Post.objects.filter(author__name=self.request.user.username).select_related("author").prefetch_related("comments")\n\n\n@api_view(["GET"])\ndef latest(request):\n    posts = Post.objects.order_by("-id")[:20]\n    return Response(PostSerializer(posts, many=True).data)\n',
    },
    {
      name: 'DRF: Meta.fields lists a reverse relation (a list of ids per object); a foreign key listed alone is read from the row',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS, 'blog/serializers.py': 'from rest_framework import serializers\n\nfrom .models import Post\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Post\n        fields = ["id", "title", "author", "comments"]\n' },
      code: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.all()\n    serializer_class = PostSerializer\n',
      findings: [{ line: 8, message: /`PostSerializer` reads `comments` of each Post it serializes \(`Meta\.fields`\)/ }],
      output: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.all().prefetch_related("comments")\n    serializer_class = PostSerializer\n',
    },
    {
      name: 'DRF: fields = "__all__" lists the model\'s many-to-many fields (a list of ids per object), not its foreign keys or reverse relations',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_TAGGED_MODELS, 'blog/serializers.py': 'from rest_framework import serializers\n\nfrom .models import Post\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Post\n        fields = "__all__"\n' },
      code: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.all()\n    serializer_class = PostSerializer\n',
      findings: [{ line: 8, message: /`PostSerializer` reads `tags` of each Post it serializes \(`Meta\.fields = "__all__"`\)[^]*prefetch_related\("tags"\)/ }],
      output: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.all()\n    serializer_class = PostSerializer\n'.replace('Post.objects.all()', 'Post.objects.all().prefetch_related("tags")'),
    },
    {
      name: 'DRF: Meta.exclude leaves out the many-to-many field: nothing is read per object',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_TAGGED_MODELS, 'blog/serializers.py': 'from rest_framework import serializers\n\nfrom .models import Post\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Post\n        exclude = ["tags"]\n' },
      code: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.all()\n    serializer_class = PostSerializer\n',
      findings: [],
    },
    {
      name: 'DRF: fields = "__all__" with depth nests the foreign key and the many-to-many field',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_TAGGED_MODELS, 'blog/serializers.py': 'from rest_framework import serializers\n\nfrom .models import Post\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Post\n        fields = "__all__"\n        depth = 1\n' },
      code: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.all()\n    serializer_class = PostSerializer\n',
      findings: [
        { line: 8, message: /reads `author` of each Post it serializes \(`Meta\.fields = "__all__", depth = 1`\)[^]*select_related\("author"\)/ },
        { line: 8, message: /reads `tags` of each Post[^]*prefetch_related\("tags"\)/ },
      ],
    },
    {
      name: 'DRF: a nested serializer reads a relation of each nested object (comments, then their author)',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_COMMENTER_MODELS, 'blog/serializers.py': DRF_NESTED_SERIALIZERS },
      code: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.prefetch_related("comments")\n    serializer_class = PostSerializer\n',
      findings: [{ line: 8, message: /`PostSerializer` serializes `comments` of each Post with `CommentSerializer`, which reads `author` of each Comment \(`AuthorSerializer\(read_only=True\)`\)[^]*prefetch_related\("comments__author"\)/ }],
      output: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.prefetch_related("comments").prefetch_related("comments__author")\n    serializer_class = PostSerializer\n',
    },
    {
      name: 'DRF: the nested relation is prefetched already (comments__author)',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_COMMENTER_MODELS, 'blog/serializers.py': DRF_NESTED_SERIALIZERS },
      code: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.prefetch_related("comments__author")\n    serializer_class = PostSerializer\n',
      findings: [],
    },
    {
      name: 'Django: a foreign key read on the items of a related manager (post.comments.all(), the post from get_object_or_404)',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_COMMENTER_MODELS },
      code: 'from django.http import JsonResponse\nfrom django.shortcuts import get_object_or_404\n\nfrom .models import Post\n\n\ndef detail(request, pk):\n    post = get_object_or_404(Post, pk=pk)\n    return JsonResponse({"who": [c.author.name for c in post.comments.all()]})\n',
      findings: [{ line: 9, message: /`c\.author` loads one Author per item of `post\.comments\.all\(\)`[^]*select_related\("author"\)` to the Comment queryset/ }],
      output: 'from django.http import JsonResponse\nfrom django.shortcuts import get_object_or_404\n\nfrom .models import Post\n\n\ndef detail(request, pk):\n    post = get_object_or_404(Post, pk=pk)\n    return JsonResponse({"who": [c.author.name for c in post.comments.all().select_related("author")]})\n',
    },
    {
      name: 'Django: the items of a queryset kept in a list first ([c async for c in qs], list(qs))',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_COMMENTER_MODELS },
      code: 'from .models import Comment\n\n\nasync def names(request, pk):\n    comments = [c async for c in Comment.objects.filter(post_id=pk)]\n    return [c.author.name for c in comments]\n',
      findings: [{ line: 6, message: /`c\.author` loads one Author per item of `comments`/ }],
      output: 'from .models import Comment\n\n\nasync def names(request, pk):\n    comments = [c async for c in Comment.objects.filter(post_id=pk).select_related("author")]\n    return [c.author.name for c in comments]\n',
    },
    {
      name: 'DRF: Meta.depth nests every relation listed, a foreign key too',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS, 'blog/serializers.py': 'from rest_framework import serializers\n\nfrom .models import Post\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    class Meta:\n        model = Post\n        fields = ["id", "author"]\n        depth = 1\n' },
      code: 'from rest_framework import generics\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.all()\n    serializer_class = PostSerializer\n',
      findings: [{ line: 8, message: /`PostSerializer` reads `author` of each Post it serializes \(`Meta\.fields, depth = 1`\)[^]*select_related\("author"\)/ }],
    },
    {
      name: "DRF: what a get_ method's helper methods read of the object (self.helper(obj), a keyword, a helper of the helper)",
      file: 'blog/api.py',
      workspace: { 'blog/models.py': DRF_MODELS },
      code: 'from rest_framework import generics, serializers\n\nfrom .models import Post\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    comment_count = serializers.SerializerMethodField()\n    byline = serializers.SerializerMethodField()\n\n    class Meta:\n        model = Post\n        fields = ["id", "comment_count", "byline"]\n\n    def get_comment_count(self, obj):\n        return self.count_of(obj)\n\n    def count_of(self, post):\n        return post.comments.count()\n\n    def get_byline(self, obj):\n        return self.format_byline(prefix="by", post=obj)\n\n    def format_byline(self, prefix, post):\n        return f"{prefix} {self.name_of(post)}"\n\n    def name_of(self, p):\n        return p.author.name\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.filter(title__icontains="django")\n    serializer_class = PostSerializer\n',
      findings: [
        { line: 31, message: /`PostSerializer` counts the Comment rows of each Post it serializes \(`get_comment_count → count_of`\)/ },
        { line: 31, message: /`PostSerializer` reads `author` of each Post it serializes \(`get_byline → format_byline → name_of`\)/ },
      ],
  output: 'from rest_framework import generics, serializers\n\nfrom .models import Post\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    comment_count = serializers.SerializerMethodField()\n    byline = serializers.SerializerMethodField()\n\n    class Meta:\n        model = Post\n        fields = ["id", "comment_count", "byline"]\n\n    def get_comment_count(self, obj):\n        return self.count_of(obj)\n\n    def count_of(self, post):\n        return post.comments.count()\n\n    def get_byline(self, obj):\n        return self.format_byline(prefix="by", post=obj)\n\n    def format_byline(self, prefix, post):\n        return f"{prefix} {self.name_of(post)}"\n\n    def name_of(self, p):\n        return p.author.name\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.filter(title__icontains="django").prefetch_related("comments")\n    serializer_class = PostSerializer\n',
    },
    {
      name: 'DRF: a count in a get_ method of a serializer in the same file',
      file: 'blog/api.py',
      workspace: { 'blog/models.py': DRF_MODELS },
      code: 'from rest_framework import generics, serializers\n\nfrom .models import Post\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    comment_count = serializers.SerializerMethodField()\n\n    class Meta:\n        model = Post\n        fields = ["id", "comment_count"]\n\n    def get_comment_count(self, obj):\n        return obj.comments.count()\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.filter(title__icontains="django")\n    serializer_class = PostSerializer\n',
      findings: [{ line: 18, message: /`PostSerializer` counts the Comment rows of each Post it serializes \(`get_comment_count`\)[^]*`\.annotate\(comments_count=Count\("comments"\)\)`/ }],
      output: 'from rest_framework import generics, serializers\n\nfrom .models import Post\n\n\nclass PostSerializer(serializers.ModelSerializer):\n    comment_count = serializers.SerializerMethodField()\n\n    class Meta:\n        model = Post\n        fields = ["id", "comment_count"]\n\n    def get_comment_count(self, obj):\n        return obj.comments.count()\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.filter(title__icontains="django").prefetch_related("comments")\n    serializer_class = PostSerializer\n',
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'SQLAlchemy 2.0: select(func.count(…)) per item is a count: the advice is one grouped count',
      file: 'repo.py',
      code: 'from sqlalchemy import select, func\nfrom .models import Comment\n\n\ndef counts(session, posts):\n    return {p.id: session.scalar(select(func.count(Comment.id)).where(Comment.post_id == p.id)) for p in posts}\n',
      findings: [{ line: 6, message: /`select\(func\.count\(Comment\.id\)\)\.where\(Comment\.post_id == p\.id\)` counts once per item of `posts` \(N\+1\).*`select\(key, func\.count\(\)\)\.where\(key\.in_\(ids\)\)\.group_by\(key\)`/ }],
    },
    {
      name: 'SQLAlchemy: session.query(func.sum(…).label(…)) per item aggregates',
      file: 'repo.py',
      code: 'from sqlalchemy import func\nfrom .models import Order\n\n\ndef totals(session, customers):\n    for c in customers:\n        print(session.query(func.sum(Order.total).label("t")).filter(Order.customer_id == c.id).scalar())\n',
      findings: [{ line: 7, message: /aggregates once per item of `customers` \(N\+1\).*group_by\(key\)/ }],
    },
    {
      name: 'Peewee: Model.select(fn.COUNT(…)) and fn.AVG per item',
      file: 'views.py',
      code: 'from peewee import fn\nfrom .models import Tweet\n\n\ndef stats(users):\n    counts = [Tweet.select(fn.COUNT(Tweet.id)).where(Tweet.user == u).scalar() for u in users]\n    likes = [Tweet.select(fn.AVG(Tweet.likes)).where(Tweet.user == u).scalar() for u in users]\n    return counts, likes\n',
      findings: [
        { line: 6, message: /counts once per item of `users`.*fn\.COUNT\(Model\.id\)/ },
        { line: 7, message: /aggregates once per item of `users`.*fn\.AVG/ },
      ],
    },
    {
      name: 'SQLAlchemy: a select of rows beside a count is rows: the advice is to load them all',
      file: 'repo.py',
      code: 'from sqlalchemy import select, func\nfrom .models import Comment\n\n\ndef f(session, posts):\n    for p in posts:\n        print(session.execute(select(Comment, func.count(Comment.id)).where(Comment.post_id == p.id)).all())\n',
      findings: [{ line: 7, message: /runs once per item of `posts` \(N\+1\).*in_\(ids\)/ }],
    },
  ],
});

const LIST_VIEW = (cls: string, method = 'get_context_data') =>
  `from django.views.generic import ListView\nfrom .models import Post\n\n\n${cls}\n\n    def ${method}(self, **kwargs):\n        ctx = super().get_context_data(**kwargs)\n        ctx["authors"] = [post.author.name for post in self.object_list]\n        return ctx\n`;

ruleTests('n-plus-one', {
  valid: [
    {
      name: "Django ListView: the view's queryset selects the relation already",
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS },
      code: LIST_VIEW('class PostList(ListView):\n    queryset = Post.objects.select_related("author")'),
      why: 'self.object_list is that queryset',
    },
    {
      name: 'Django ListView: get_queryset prefetches; a class that is no list view has no object_list of its own',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS },
      code: LIST_VIEW('class PostList(ListView):\n    model = Post\n\n    def get_queryset(self):\n        return Post.objects.filter(title__isnull=False).select_related("author")') + '\n\nclass Report:\n    def rows(self):\n        return [p.author for p in self.object_list]\n',
      why: 'get_queryset is what object_list holds; Report.object_list is unknown',
    },
    {
      name: "Django ListView: get_queryset extends super()'s (not known here)",
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS },
      code: LIST_VIEW('class PostList(ListView):\n    model = Post\n\n    def get_queryset(self):\n        return super().get_queryset().filter(title__isnull=False)'),
      why: 'what the base class returns is not read',
    },
  ],
  invalid: [
    {
      name: "Django ListView: a relation read per item of self.object_list, the view's queryset attribute gets select_related",
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS },
      code: LIST_VIEW('class PostList(ListView):\n    queryset = Post.objects.filter(title__isnull=False)'),
      findings: [{ line: 10, message: /`post\.author` loads one Author per item of `self\.object_list`/ }],
      output: LIST_VIEW('class PostList(ListView):\n    queryset = Post.objects.filter(title__isnull=False).select_related("author")'),
    },
    {
      name: 'Django ListView: per item of context["object_list"], through get_queryset',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS },
      code: 'from django.views.generic import ListView\nfrom .models import Post\n\n\nclass PostList(ListView):\n    paginate_by = 20\n\n    def get_queryset(self):\n        qs = Post.objects.order_by("-id")\n        return qs\n\n    def get_context_data(self, **kwargs):\n        context = super().get_context_data(**kwargs)\n        context["names"] = [p.author.name for p in context["object_list"]]\n        return context\n',
      findings: [{ line: 14, message: /`p\.author` loads one Author per item of `context\["object_list"\]`/ }],
      output: 'from django.views.generic import ListView\nfrom .models import Post\n\n\nclass PostList(ListView):\n    paginate_by = 20\n\n    def get_queryset(self):\n        qs = Post.objects.order_by("-id").select_related("author")\n        return qs\n\n    def get_context_data(self, **kwargs):\n        context = super().get_context_data(**kwargs)\n        context["names"] = [p.author.name for p in context["object_list"]]\n        return context\n',
    },
    {
      name: 'Django ListView with model = Post only: the finding, without a fix (no queryset expression to extend)',
      file: 'blog/views.py',
      workspace: { 'blog/models.py': DRF_MODELS },
      code: LIST_VIEW('class PostList(ListView):\n    model = Post'),
      findings: [{ line: 10, message: /Add `select_related\("author"\)` to the Post queryset/ }],
    },
  ],
});

ruleTests('n-plus-one', {
  valid: [
    {
      name: 'a loop over a collection written out (a tuple of statuses, a list of two emails in a test)',
      file: 'blog/views.py',
      code: 'from .models import Post\n\n\ndef counts():\n    out = {}\n    for status in ("draft", "published", "archived"):\n        out[status] = Post.objects.filter(status=status).count()\n    for email in ["a@example.com", "b@example.com"]:\n        Post.objects.create(title=email)\n    return out\n',
      why: 'as many queries as the code lists, whatever the data: no N+1',
    },
  ],
  invalid: [
    {
      name: 'Django: get_user_model().objects.get per item, fixed with in_bulk on the same manager',
      file: 'accounts/views.py',
      code: 'from django.contrib.auth import get_user_model\n\n\ndef names(ids):\n    for i in ids:\n        print(get_user_model().objects.get(pk=i))\n',
      findings: [{ line: 6, message: /^`get_user_model\(\)\.objects\.get\(pk=i\)` runs once per item of `ids` \(N\+1\)/ }],
      output: 'from django.contrib.auth import get_user_model\n\n\ndef names(ids):\n    user_by_pk = get_user_model().objects.in_bulk(ids)\n    for i in ids:\n        print(user_by_pk.get(i))\n',
    },
  ],
});

// Write statements per item: SQLAlchemy's update()/delete()/insert() (2.0 style and Core), Peewee's writes on a model class.
ruleTests('n-plus-one', {
  valid: [
    {
      name: 'SQLAlchemy: update/delete named by the module, not imported from SQLAlchemy; a dict\'s update',
      file: 'app/sync.py',
      code: 'from sqlalchemy import select\nfrom .store import update, delete\n\n\ndef sync(session, ids, settings):\n    for i in ids:\n        update(i)\n        delete(i)\n        settings.update({"last": i})\n',
      why: 'the module\'s own update/delete are no SQLAlchemy statements, and a dict\'s update is no query',
    },
    {
      name: 'SQLAlchemy: one insert of all the rows, one update over all the ids',
      file: 'app/repo.py',
      code: 'from sqlalchemy import insert, update\nfrom .models import User\n\n\ndef save(session, rows, ids):\n    session.execute(insert(User), rows)\n    session.execute(update(User).where(User.id.in_(ids)).values(active=False))\n    for row in rows:\n        row["saved"] = True\n',
      why: 'each statement runs once, outside the loop',
    },
    {
      name: 'Peewee: writes built per item and run once as a batch; a class of another library with create',
      file: 'app/tweets.py',
      code: 'from peewee import chunked\nfrom .models import Tweet\nfrom .cache import Cache\n\n\ndef archive(ids, db):\n    queries = [Tweet.update(archived=True).where(Tweet.id == i) for i in ids]\n    with db.atomic():\n        Tweet.insert_many([{"id": i} for i in ids]).execute()\n    for i in ids:\n        Cache.create(i)\n    return queries\n',
      why: 'an update built and not executed writes nothing; insert_many runs once; Cache is no Peewee model',
    },
  ],
  invalid: [
    {
      name: 'SQLAlchemy 2.0: update, delete and insert statements executed per item',
      file: 'app/repo.py',
      code: 'from sqlalchemy import delete, update\nfrom sqlalchemy.dialects.postgresql import insert as pg_insert\nfrom .models import Post, User\n\n\ndef deactivate(session, ids):\n    for i in ids:\n        session.execute(update(User).where(User.id == i).values(active=False))\n        session.execute(delete(Post).where(Post.author_id == i))\n        session.execute(pg_insert(Post).values(author_id=i, title="gone").on_conflict_do_nothing())\n',
      findings: [
        { line: 8, message: /^`update\(User\)\.where\(User\.id == i\)\.values\(active=False\)` writes once per item of `ids` \(N\+1 writes\).*Update them all with one `update\(Model\)\.where\(Model\.id\.in_\(ids\)\)\.values\(…\)` when every row gets the same change/ },
        { line: 9, message: /^`delete\(Post\)\.where\(Post\.author_id == i\)` writes once per item of `ids` \(N\+1 writes\).*Delete them all with one `delete\(Model\)\.where\(Model\.id\.in_\(ids\)\)`/ },
        { line: 10, message: /^`pg_insert\(Post\)\.values\(author_id=i, title="gone"\)\.on_conflict_do_nothing\(\)` writes once per item of `ids` \(N\+1 writes\).*Insert them all with/ },
      ],
    },
    {
      name: 'SQLAlchemy Core through the module (sa.update) in an async session',
      file: 'app/repo.py',
      code: 'import sqlalchemy as sa\nfrom sqlalchemy.ext.asyncio import AsyncSession\nfrom .models import User\n\n\nasync def touch(session: AsyncSession, users):\n    for u in users:\n        await session.execute(sa.update(User).where(User.id == u.id).values(seen=True))\n',
      findings: [{ line: 8, message: /^`sa\.update\(User\)\.where\(User\.id == u\.id\)\.values\(seen=True\)` writes once per item of `users` \(N\+1 writes\)/ }],
    },
    {
      name: 'Peewee: update/delete/insert executed, create and delete_by_id, per item',
      file: 'app/tweets.py',
      code: PEEWEE_MODELS.replace('from peewee import', 'from peewee import fn,') + '\n\ndef rename(ids):\n    for i in ids:\n        User.update(username="x").where(User.id == i).execute()\n        Tweet.delete().where(Tweet.user == i).execute()\n        Tweet.insert(user=i, content="hi").execute()\n        Tweet.create(user=i, content="again")\n        User.delete_by_id(i)\n',
      findings: [
        { line: 22, message: /^`User\.update\(username="x"\)\.where\(User\.id == i\)\.execute\(\)` writes once per item of `ids` \(N\+1 writes\).*Update them all with one `Model\.update\(…\)\.where\(Model\.id\.in_\(ids\)\)`/ },
        { line: 23, message: /^`Tweet\.delete\(\)\.where\(Tweet\.user == i\)\.execute\(\)` writes once per item.*Delete them all with one `Model\.delete\(\)\.where\(Model\.id\.in_\(ids\)\)`/ },
        { line: 24, message: /^`Tweet\.insert\(user=i, content="hi"\)\.execute\(\)` writes once per item.*Insert them all with one `insert_many\(\[\.\.\.\]\)`/ },
        { line: 25, message: /^`Tweet\.create\(user=i, content="again"\)` writes once per item.*Insert them all with one `insert_many\(\[\.\.\.\]\)`/ },
        { line: 26, message: /^`User\.delete_by_id\(i\)` writes once per item.*Delete them all/ },
      ],
    },
    {
      name: 'Peewee: create per item on a model imported from the models module',
      file: 'app/tweets.py',
      code: 'from peewee import fn\nfrom .models import Tweet\n\n\ndef post_all(user, texts):\n    for text in texts:\n        Tweet.create(user=user, content=text)\n',
      findings: [{ line: 7, message: /^`Tweet\.create\(user=user, content=text\)` writes once per item of `texts` \(N\+1 writes\)/ }],
    },
  ],
});
