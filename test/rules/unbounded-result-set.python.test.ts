import { ruleTests } from '../harness/rule-tester';

const DJANGO = 'from django.http import JsonResponse\nfrom django.shortcuts import render\n\nfrom .models import Post\n\n\n';
const FLASK = 'from flask import Flask, jsonify\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\ndb = SQLAlchemy(app)\n\n\n';
const FASTAPI = 'from fastapi import FastAPI, Depends\nfrom sqlalchemy import select\nfrom sqlalchemy.orm import Session\n\nfrom .models import Post\nfrom .db import get_db\n\napp = FastAPI()\n\n\n';
const SQLMODEL = 'from fastapi import FastAPI\nfrom sqlmodel import Session, select\n\nfrom .models import Hero\nfrom .db import engine\n\napp = FastAPI()\n\n\n';
const PEEWEE = 'from flask import Flask, render_template\nfrom peewee import SqliteDatabase\n\nfrom .models import Tweet\n\napp = Flask(__name__)\n\n\n';

ruleTests('unbounded-result-set', {
  valid: [
    {
      name: 'Django: a sliced queryset',
      file: 'blog/views.py',
      code: `${DJANGO}def post_list(request):\n    posts = Post.objects.filter(published=True).order_by("-id")[:20]\n    return render(request, "posts.html", {"posts": posts})\n`,
      why: 'capped at 20 rows',
    },
    {
      name: 'Django: a queryset handed to a Paginator',
      file: 'blog/views.py',
      code: `${DJANGO}from django.core.paginator import Paginator\n\n\ndef post_list(request):\n    posts = Post.objects.all().order_by("id")\n    page = Paginator(posts, 25).get_page(request.GET.get("page"))\n    return render(request, "posts.html", {"page": page})\n`,
      why: 'paged',
    },
    {
      name: "Django: the request user's posts",
      file: 'blog/views.py',
      code: `${DJANGO}def my_posts(request):\n    return JsonResponse({"posts": list(Post.objects.filter(author=request.user).values("id", "title"))})\n`,
      why: 'filtered by a value of the request',
    },
    {
      name: 'Django: a filter on a URL parameter, select_related already present',
      file: 'blog/views.py',
      code: `${DJANGO}def tag_posts(request, slug):\n    posts = Post.objects.select_related("author").filter(tags__slug=slug)\n    return render(request, "posts.html", {"posts": posts})\n`,
      why: 'the posts of one tag',
    },
    {
      name: 'Django: get_queryset returns the queryset (DRF pages it)',
      file: 'blog/views.py',
      code: 'from rest_framework import generics\n\nfrom .models import Post\n\n\nclass PostList(generics.ListAPIView):\n    def get_queryset(self):\n        return Post.objects.all()\n',
      why: 'returned to the view, which pages what it is given',
    },
    {
      name: 'Django: a count, exists and first',
      file: 'blog/views.py',
      code: `${DJANGO}def stats(request):\n    return JsonResponse({"n": Post.objects.filter(published=True).count(), "any": Post.objects.exists(), "first": str(Post.objects.first())})\n`,
      why: 'one row each',
    },
    {
      name: 'Django: a management command',
      file: 'blog/management/commands/export_posts.py',
      code: 'from django.core.management.base import BaseCommand\n\nfrom blog.models import Post\n\n\nclass Command(BaseCommand):\n    def handle(self, *args, **options):\n        for post in Post.objects.all():\n            self.stdout.write(post.title)\n',
      why: 'a CLI command is not a request handler',
    },
    {
      name: 'Django: a queryset refined before it is used',
      file: 'blog/views.py',
      code: `${DJANGO}def post_list(request):\n    posts = Post.objects.all()\n    if request.GET.get("q"):\n        posts = posts.filter(title__icontains=request.GET["q"])\n    return render(request, "posts.html", {"posts": posts[:50]})\n`,
      why: 'sliced where it is used',
    },
    {
      name: 'SQLAlchemy: a limit, and a filter from the path',
      file: 'app/main.py',
      code: `${FASTAPI}@app.get("/posts")\ndef list_posts(db: Session = Depends(get_db)):\n    return db.scalars(select(Post).order_by(Post.id).limit(50)).all()\n\n\n@app.get("/users/{user_id}/posts")\ndef user_posts(user_id: int, db: Session = Depends(get_db)):\n    return db.scalars(select(Post).where(Post.author_id == user_id)).all()\n`,
      why: 'capped; one user\'s posts',
    },
    {
      name: 'Flask-SQLAlchemy: paginate and first',
      file: 'app/views.py',
      code: `${FLASK}class Post(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\n@app.route("/posts")\ndef posts():\n    page = Post.query.order_by(Post.id).paginate(per_page=20)\n    return jsonify(latest=str(Post.query.order_by(Post.id.desc()).first()), n=page.total)\n`,
      why: 'paged; one row',
    },
    {
      name: 'Peewee: a limit, and a select in a script',
      file: 'app/views.py',
      code: `${PEEWEE}@app.route("/")\ndef timeline():\n    return render_template("timeline.html", tweets=list(Tweet.select().order_by(Tweet.id.desc()).limit(20)))\n\n\ndef export():\n    return [t.content for t in Tweet.select()]\n`,
      why: 'capped; not a request path',
    },
    {
      name: "Django: a form's choices from a lookup table",
      file: 'blog/views.py',
      code: `${DJANGO}def category_form(request):\n    choices = [(c.pk, c.name) for c in Category.objects.all()]\n    return render(request, "form.html", {"choices": choices})\n`,
      why: 'a select box shows a lookup table whole',
    },
    {
      name: 'Django: a ListView with paginate_by, and one with its own get_queryset',
      file: 'blog/views.py',
      code: 'from django.views.generic import ListView\n\nfrom .models import Post\n\n\nclass PostList(ListView):\n    model = Post\n    paginate_by = 20\n\n\nclass MyPosts(ListView):\n    def get_queryset(self):\n        return Post.objects.filter(author=self.request.user)\n',
      why: 'paged; its own queryset',
    },
  ],
  invalid: [
    {
      name: 'Django: a ListView with a model and no paginate_by',
      file: 'blog/views.py',
      code: 'from django.contrib.auth.mixins import LoginRequiredMixin\nfrom django.views import generic\n\nfrom .models import Post\n\n\nclass PostList(LoginRequiredMixin, generic.ListView):\n    model = Post\n    template_name = "blog/posts.html"\n',
      findings: [{ line: 8, message: /`PostList` is a ListView with no `paginate_by`: it renders every row of `Post`/ }],
      output: 'from django.contrib.auth.mixins import LoginRequiredMixin\nfrom django.views import generic\n\nfrom .models import Post\n\n\nclass PostList(LoginRequiredMixin, generic.ListView):\n    model = Post\n    paginate_by = 100\n    template_name = "blog/posts.html"\n',
    },
    {
      name: 'Django: a ListView with a constant queryset',
      file: 'blog/views.py',
      code: 'from django.views.generic import ListView\n\nfrom .models import Post\n\n\nclass Published(ListView):\n    queryset = Post.objects.filter(published=True).order_by("-id")\n',
      findings: [{ line: 7, message: /every row of `Post` that its constant filter matches/ }],
      output: 'from django.views.generic import ListView\n\nfrom .models import Post\n\n\nclass Published(ListView):\n    queryset = Post.objects.filter(published=True).order_by("-id")\n    paginate_by = 100\n',
    },
    {
      name: 'Django: every post to a template',
      file: 'blog/views.py',
      code: `${DJANGO}def post_list(request):\n    posts = Post.objects.filter(published=True).order_by("-created_at")\n    return render(request, "blog/posts.html", {"posts": posts})\n`,
      findings: [{ line: 8, message: /`Post\.objects\.filter` returns every row of `Post` that its constant filter matches in the django handler `post_list`.*keyset `filter\(id__gt=…\)`/ }],
      output: `${DJANGO}def post_list(request):\n    posts = Post.objects.filter(published=True).order_by("-created_at")[:100]\n    return render(request, "blog/posts.html", {"posts": posts})\n`,
    },
    {
      name: 'Django: list() of values in a JsonResponse',
      file: 'blog/views.py',
      code: `${DJANGO}def api_posts(request):\n    return JsonResponse({"posts": list(Post.objects.values("id", "title"))})\n`,
      findings: [{ line: 8, message: /every row of `Post` in the django handler/ }],
      output: `${DJANGO}def api_posts(request):\n    return JsonResponse({"posts": list(Post.objects.values("id", "title")[:100])})\n`,
    },
    {
      name: 'Django: iterated in a view',
      file: 'blog/views.py',
      code: `${DJANGO}def titles(request):\n    out = []\n    for post in Post.objects.all():\n        out.append(post.title)\n    return JsonResponse({"titles": out})\n`,
      findings: [{ line: 9 }],
      output: `${DJANGO}def titles(request):\n    out = []\n    for post in Post.objects.all()[:100]:\n        out.append(post.title)\n    return JsonResponse({"titles": out})\n`,
    },
    {
      name: 'DRF: a serializer with many=True in an APIView',
      file: 'blog/views.py',
      code: 'from rest_framework.response import Response\nfrom rest_framework.views import APIView\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(APIView):\n    def get(self, request):\n        posts = Post.objects.select_related("author").all()\n        return Response(PostSerializer(posts, many=True).data)\n',
      findings: [{ line: 10, message: /drf handler `get`/ }],
      output: 'from rest_framework.response import Response\nfrom rest_framework.views import APIView\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(APIView):\n    def get(self, request):\n        posts = Post.objects.select_related("author").all()[:100]\n        return Response(PostSerializer(posts, many=True).data)\n',
    },
    {
      name: 'SQLAlchemy 2.0: scalars().all() in FastAPI',
      file: 'app/main.py',
      code: `${FASTAPI}@app.get("/posts")\ndef list_posts(db: Session = Depends(get_db)):\n    return db.scalars(select(Post).where(Post.published.is_(True)).order_by(Post.id)).all()\n`,
      findings: [{ line: 13, message: /`select\(Post\)` returns every row of `Post` that its constant filter matches in the fastapi handler `list_posts`/ }],
      output: `${FASTAPI}@app.get("/posts")\ndef list_posts(db: Session = Depends(get_db)):\n    return db.scalars(select(Post).where(Post.published.is_(True)).order_by(Post.id).limit(100)).all()\n`,
    },
    {
      name: 'SQLAlchemy: a statement in a variable, executed and awaited',
      file: 'app/main.py',
      code: `${FASTAPI}@app.get("/posts")\nasync def list_posts(db=Depends(get_db)):\n    stmt = select(Post).order_by(Post.id)\n    result = await db.execute(stmt)\n    return result.scalars().all()\n`,
      findings: [{ line: 15 }],
      output: `${FASTAPI}@app.get("/posts")\nasync def list_posts(db=Depends(get_db)):\n    stmt = select(Post).order_by(Post.id).limit(100)\n    result = await db.execute(stmt)\n    return result.scalars().all()\n`,
    },
    {
      name: 'SQLAlchemy: the legacy query',
      file: 'app/main.py',
      code: `${FASTAPI}@app.get("/posts")\nasync def list_posts(db=Depends(get_db)):\n    return (await db.execute(select(Post))).scalars().all() + db.query(Post).filter(Post.published == True).all()\n`,
      findings: [{ line: 13 }, { line: 13 }],
      output: `${FASTAPI}@app.get("/posts")\nasync def list_posts(db=Depends(get_db)):\n    return (await db.execute(select(Post).limit(100))).scalars().all() + db.query(Post).filter(Post.published == True).all()\n`,
    },
    {
      name: 'Flask-SQLAlchemy: Model.query.all()',
      file: 'app/views.py',
      code: `${FLASK}class Post(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\n@app.route("/posts")\ndef posts():\n    return jsonify([p.id for p in Post.query.all()])\n`,
      findings: [{ line: 14, message: /`Post\.query` returns every row of `Post` in the flask handler `posts`/ }],
      output: `${FLASK}class Post(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\n@app.route("/posts")\ndef posts():\n    return jsonify([p.id for p in Post.query.limit(100).all()])\n`,
    },
    {
      name: 'SQLModel: session.exec(select(…)).all()',
      file: 'app/main.py',
      code: `${SQLMODEL}@app.get("/heroes")\ndef read_heroes():\n    with Session(engine) as session:\n        return session.exec(select(Hero)).all()\n`,
      findings: [{ line: 13, message: /every row of `Hero` in the fastapi handler `read_heroes`/ }],
      output: `${SQLMODEL}@app.get("/heroes")\ndef read_heroes():\n    with Session(engine) as session:\n        return session.exec(select(Hero).limit(100)).all()\n`,
    },
    {
      name: 'Peewee: a select rendered whole',
      file: 'app/views.py',
      code: `${PEEWEE}@app.route("/")\ndef timeline():\n    return render_template("timeline.html", tweets=Tweet.select().order_by(Tweet.id.desc()))\n`,
      findings: [{ line: 11 }],
      output: `${PEEWEE}@app.route("/")\ndef timeline():\n    return render_template("timeline.html", tweets=Tweet.select().order_by(Tweet.id.desc()).limit(100))\n`,
    },
  ],
});

const DRF_VIEWS = 'from rest_framework import viewsets\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostViewSet(viewsets.ModelViewSet):\n    queryset = Post.objects.select_related("author").order_by("-id")\n    serializer_class = PostSerializer\n';
const SETTINGS = 'INSTALLED_APPS = ["django.contrib.auth", "rest_framework", "blog"]\n';

ruleTests('unbounded-result-set', {
  valid: [
    {
      name: 'DRF: a default pagination class in the settings',
      file: 'blog/views.py',
      workspace: { 'mysite/settings.py': `${SETTINGS}REST_FRAMEWORK = {\n    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",\n    "PAGE_SIZE": 50,\n}\n` },
      code: DRF_VIEWS,
      why: 'DRF pages every list view',
    },
    {
      name: 'DRF: a settings package whose base module sets the default',
      file: 'blog/views.py',
      workspace: { 'mysite/settings/base.py': SETTINGS, 'mysite/settings/rest.py': 'REST_FRAMEWORK = {}\nREST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"] = "rest_framework.pagination.LimitOffsetPagination"\n' },
      code: DRF_VIEWS,
      why: 'paged by default',
    },
    {
      name: 'DRF: no settings module found',
      file: 'blog/views.py',
      code: DRF_VIEWS,
      why: 'the default pagination is unknown',
    },
    {
      name: 'DRF: a pagination class on the view, and a view with its own get_queryset',
      file: 'blog/views.py',
      workspace: { 'mysite/settings.py': SETTINGS },
      code: 'from rest_framework import generics\nfrom rest_framework.pagination import LimitOffsetPagination\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostList(generics.ListAPIView):\n    queryset = Post.objects.all()\n    serializer_class = PostSerializer\n    pagination_class = LimitOffsetPagination\n\n\nclass MyPosts(generics.ListAPIView):\n    serializer_class = PostSerializer\n\n    def get_queryset(self):\n        return Post.objects.all()\n',
      why: 'paged; its own queryset',
    },
  ],
  invalid: [
    {
      name: 'DRF: a ModelViewSet with no pagination class, and settings without a default',
      file: 'blog/views.py',
      workspace: { 'mysite/settings.py': `${SETTINGS}REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}\n` },
      code: DRF_VIEWS,
      findings: [{ line: 8, message: /`PostViewSet` lists every row of `Post` in one response: it has no `pagination_class` and the project's settings set no `DEFAULT_PAGINATION_CLASS`/ }],
      output: 'from rest_framework import viewsets\n\nfrom .models import Post\nfrom .serializers import PostSerializer\nfrom rest_framework.pagination import CursorPagination\n\n\nclass PostViewSetPagination(CursorPagination):\n    page_size = 100\n    ordering = "-id"\n\n\nclass PostViewSet(viewsets.ModelViewSet):\n    queryset = Post.objects.select_related("author").order_by("-id")\n    pagination_class = PostViewSetPagination\n    serializer_class = PostSerializer\n',
    },
  ],
});

ruleTests('unbounded-result-set', {
  valid: [
    {
      name: 'psycopg: a LIMIT, and a parameter',
      file: 'app/views.py',
      code: 'from django.db import connection\nfrom django.http import JsonResponse\n\n\ndef posts(request):\n    with connection.cursor() as cur:\n        cur.execute("SELECT id FROM blog_post ORDER BY id LIMIT 20")\n        a = cur.fetchall()\n        cur.execute("SELECT id FROM blog_post WHERE author_id = %s", [request.GET["a"]])\n        return JsonResponse({"a": a, "b": cur.fetchall()})\n',
      why: 'capped; filtered by the request',
    },
  ],
  invalid: [
    {
      name: 'psycopg in a Flask route: every row',
      file: 'app/views.py',
      code: 'import psycopg2\nfrom flask import Flask, jsonify\n\napp = Flask(__name__)\n\n\n@app.route("/posts")\ndef posts():\n    with psycopg2.connect("") as conn, conn.cursor() as cur:\n        cur.execute("SELECT id, title FROM posts ORDER BY id")\n        return jsonify(cur.fetchall())\n',
      findings: [{ line: 10, message: /`cur\.execute` returns every row of `posts` in the flask handler `posts`/ }],
      output: 'import psycopg2\nfrom flask import Flask, jsonify\n\napp = Flask(__name__)\n\n\n@app.route("/posts")\ndef posts():\n    with psycopg2.connect("") as conn, conn.cursor() as cur:\n        cur.execute("SELECT id, title FROM posts ORDER BY id LIMIT 100")\n        return jsonify(cur.fetchall())\n',
    },
  ],
});

ruleTests('unbounded-result-set', {
  valid: [
    {
      name: 'a service that slices, called from a view',
      file: 'blog/views.py',
      workspace: { 'blog/services.py': 'from .models import Post\n\n\ndef latest_posts():\n    return list(Post.objects.order_by("-id")[:20])\n' },
      code: 'from django.http import JsonResponse\n\nfrom .services import latest_posts\n\n\ndef index(request):\n    return JsonResponse({"posts": [p.title for p in latest_posts()]})\n',
      why: 'the service caps its read',
    },
  ],
  invalid: [
    {
      name: 'a view calling a service of another module that lists every row',
      file: 'blog/views.py',
      workspace: { 'blog/services.py': 'from .models import Post\n\n\ndef published_posts():\n    return list(Post.objects.filter(published=True).order_by("-id"))\n' },
      code: 'from django.http import JsonResponse\n\nfrom .services import published_posts\n\n\ndef index(request):\n    return JsonResponse({"posts": [p.title for p in published_posts()]})\n',
      findings: [{ line: 7, message: /`Post\.objects\.filter` returns every row of `Post` that its constant filter matches in `published_posts`, which the django handler `index` calls/ }],
      noFix: true,
    },
  ],
});
