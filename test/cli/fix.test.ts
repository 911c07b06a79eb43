/** `perflens lint --fix`: safe fixes by default, unsafe ones on request, files written, the rest reported. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRISMA_HANDLER } from '../harness/samples';
import { TempWorkspace, json, perflens } from './run-cli';

const OFFSET_SQL = 'SELECT id, title FROM posts\nORDER BY created_at DESC\nLIMIT 20 OFFSET $1;\n';

const DJANGO_MODELS = `from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=200)


class Post(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
`;

/** Two findings on one queryset: a lazy foreign key (safe fix) and a computed slice start (unsafe fix). */
const DJANGO_VIEW = `from django.http import JsonResponse
from .models import Post


def post_list(request):
    page = int(request.GET.get("page", 1))
    start = (page - 1) * 20
    posts = Post.objects.order_by("-created_at")[start:start + 20]
    return JsonResponse({"posts": [{"title": p.title, "author": p.author.name} for p in posts]})
`;

describe('perflens lint --fix', () => {
  const ws = new TempWorkspace();
  beforeEach(() => ws.create());
  afterEach(() => ws.remove());

  it('applies only the safe fix by default and reports what remains', () => {
    ws.write('blog/models.py', DJANGO_MODELS);
    ws.write('blog/views.py', DJANGO_VIEW);
    assert.deepEqual(json(perflens(ws.root, ['lint', '--format', 'json'])).findings.map((f) => f.rule), ['offset-pagination', 'n-plus-one']);
    const run = perflens(ws.root, ['lint', '--fix']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Applied 1 fix\./);
    const fixed = ws.read('blog/views.py');
    assert.match(fixed, /select_related\("author"\)/);
    assert.match(fixed, /\[start:start \+ 20\]/, 'the unsafe keyset rewrite waits for --unsafe-fixes');
    assert.deepEqual(json(perflens(ws.root, ['lint', '--format', 'json'])).findings.map((f) => f.rule), ['offset-pagination']);
  });

  it('with --unsafe-fixes applies both, over several passes, and the result lints clean', () => {
    ws.write('blog/models.py', DJANGO_MODELS);
    ws.write('blog/views.py', DJANGO_VIEW);
    const run = perflens(ws.root, ['lint', '--fix', '--unsafe-fixes']);
    assert.match(run.stdout, /Applied 2 fixes\./);
    assert.match(run.stdout, /No problems in 2 files\./);
    const fixed = ws.read('blog/views.py');
    assert.match(fixed, /select_related\("author"\)/);
    assert.match(fixed, /order_by\("-created_at", "-id"\)/);
    assert.equal(json(perflens(ws.root, ['lint', '--format', 'json'])).findings.length, 0);
  });

  it('rewrites SQL and Prisma offset pagination to keyset with --unsafe-fixes only', () => {
    ws.write('q.sql', OFFSET_SQL);
    ws.write('src/routes/posts.ts', PRISMA_HANDLER);
    const safeOnly = perflens(ws.root, ['lint', '--fix']);
    assert.equal(ws.read('q.sql'), OFFSET_SQL);
    assert.equal(ws.read('src/routes/posts.ts'), PRISMA_HANDLER);
    assert.doesNotMatch(safeOnly.stdout, /Applied/);
    assert.match(safeOnly.stdout, /2 with --fix --unsafe-fixes/);
    const unsafe = perflens(ws.root, ['lint', '--fix', '--unsafe-fixes']);
    assert.match(unsafe.stdout, /Applied 2 fixes\./);
    assert.doesNotMatch(ws.read('q.sql'), /OFFSET/);
    assert.match(ws.read('q.sql'), /ORDER BY created_at DESC, id DESC/);
    assert.match(ws.read('src/routes/posts.ts'), /cursor/);
    assert.doesNotMatch(ws.read('src/routes/posts.ts'), /skip: \(page - 1\)/);
    assert.equal(json(perflens(ws.root, ['lint', '--format', 'json'])).findings.length, 0);
    assert.equal(perflens(ws.root, ['lint', '--unsafe-fixes']).status, 2, '--unsafe-fixes needs --fix');
  });

  it('keeps the JSON on stdout exact and counts the fixes on stderr', () => {
    ws.write('q.sql', OFFSET_SQL);
    const run = perflens(ws.root, ['lint', '--format', 'json', '--fix', '--unsafe-fixes']);
    assert.deepEqual(json(run), { version: 1, files: 1, findings: [] });
    assert.match(run.stderr, /applied 1 fix\b/);
  });

  it('writes the next migration of the folder for a foreign key of a migration that has run, with --unsafe-fixes only', () => {
    const init = "CREATE TABLE posts (\n  id bigserial PRIMARY KEY,\n  author_id bigint NOT NULL REFERENCES authors (id)\n);\n";
    const knex = "exports.up = (knex) => knex.schema.createTable('comments', (t) => {\n  t.increments('id');\n  t.integer('post_id').references('posts.id');\n});\n";
    ws.write('db/migrations/0001_init.sql', init);
    ws.write('migrations/20240101000000_comments.js', knex);
    const safeOnly = perflens(ws.root, ['lint', '--fix']);
    assert.match(safeOnly.stdout, /fix: --fix --unsafe-fixes, changes behaviour, writes a new migration/);
    assert.deepEqual(fs.readdirSync(path.join(ws.root, 'db/migrations')), ['0001_init.sql']);
    const run = perflens(ws.root, ['lint', '--fix', '--unsafe-fixes']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Applied 2 fixes\./);
    assert.match(run.stderr, /wrote db\/migrations\/0002_add_posts_author_id_index\.sql/);
    assert.equal(ws.read('db/migrations/0002_add_posts_author_id_index.sql'), '-- The index of the foreign key posts (author_id) → authors (PerfLens, unindexed-foreign-key).\nCREATE INDEX posts_author_id_idx ON posts (author_id);\n');
    assert.equal(ws.read('db/migrations/0001_init.sql'), init, 'the migration that has run is not edited');
    const written = fs.readdirSync(path.join(ws.root, 'migrations')).filter((f) => f !== '20240101000000_comments.js');
    assert.equal(written.length, 1);
    assert.match(written[0], /^\d{14}_add_comments_post_id_index\.js$/);
    assert.match(ws.read(`migrations/${written[0]}`), /^exports\.up = \(knex\) =>\n  knex\.schema\.alterTable\('comments', \(table\) => \{\n    table\.index\(\['post_id'\]\);/);
    assert.equal(json(perflens(ws.root, ['lint', '--format', 'json'])).findings.length, 0);
    // Run again: nothing left to write.
    assert.doesNotMatch(perflens(ws.root, ['lint', '--fix', '--unsafe-fixes']).stderr, /wrote/);
  });

  it('moves email sends of Django views to a Celery task in the app\'s tasks.py, written once for two views, with --unsafe-fixes only', () => {
    ws.write('requirements.txt', 'Django==5.1\ncelery==5.4\n');
    ws.write('blog/__init__.py', '');
    const view = (name: string) =>
      `from django.core.mail import send_mail\nfrom django.http import HttpResponse\n\n\ndef ${name}(request):\n    send_mail("Hi", "Welcome", "noreply@example.com", [request.POST["email"]])\n    return HttpResponse(status=201)\n`;
    ws.write('blog/views.py', view('signup'));
    ws.write('blog/invites.py', view('invite').replace('from django.http import HttpResponse\n', 'from django.http import HttpResponse\nfrom django.urls import path\n') + '\n\nurlpatterns = [path("invite/", invite)]\n');
    const listed = json(perflens(ws.root, ['lint', '--format', 'json']));
    const fixes = listed.findings.filter((f: any) => f.rule === 'blocking-call-in-handler').map((f: any) => f.fixes[0]);
    assert.equal(fixes.length, 2);
    assert.equal(fixes[0].addToFile.path, 'blog/tasks.py');
    assert.equal(fixes[0].addToFile.defines, 'send_mail_task');
    const sarif = JSON.parse(perflens(ws.root, ['lint', '--format', 'sarif']).stdout);
    assert.ok(sarif.runs[0].results.every((r: any) => r.fixes.length === 0), 'a fix that adds to another file is no SARIF replacement');
    assert.match(perflens(ws.root, ['lint']).stdout, /Send on a Celery worker: `send_mail_task\.delay\(…\)`, a task added to blog\/tasks\.py .*also writes another file/);

    const run = perflens(ws.root, ['lint', '--fix', '--unsafe-fixes']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stderr, /added send_mail_task to blog\/tasks\.py/);
    assert.match(ws.read('blog/views.py'), /from \.tasks import send_mail_task\n[\s\S]*    send_mail_task\.delay\("Hi", "Welcome", "noreply@example\.com", \[request\.POST\["email"\]\]\)\n/);
    assert.match(ws.read('blog/invites.py'), /    send_mail_task\.delay\(/);
    const tasks = ws.read('blog/tasks.py');
    assert.equal(tasks.match(/def send_mail_task/g)?.length, 1, tasks);
    assert.match(tasks, /^from celery import shared_task\nfrom django\.core\.mail import send_mail\n\n\n@shared_task\ndef send_mail_task\(\*args, \*\*kwargs\):\n/);
    assert.equal(json(perflens(ws.root, ['lint', '--format', 'json'])).findings.filter((f: any) => f.rule === 'blocking-call-in-handler').length, 0);
  });

  it('adds the index a filter needs where the model is declared (schema.prisma, models.py), once for two queries, with --unsafe-fixes only', () => {
    ws.write('prisma/schema.prisma', 'model User {\n  id    Int    @id\n  email String\n}\n');
    ws.write('src/users.ts', "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const a = (email: string) => prisma.user.findFirst({ where: { email } });\nexport const b = (email: string) => prisma.user.count({ where: { email } });\n");
    ws.write('blog/models.py', DJANGO_MODELS);
    ws.write('blog/views.py', 'from django.shortcuts import render\nfrom .models import Post\n\n\ndef by_title(request, title):\n    return render(request, "p.html", {"p": Post.objects.get(title=title)})\n');
    const listed = json(perflens(ws.root, ['lint', '--format', 'json']));
    const found = listed.findings.filter((f: any) => f.rule === 'unindexed-filter');
    assert.deepEqual(found.map((f: any) => [f.file, f.fixes[0].addToFile]), [
      ['blog/views.py', { kind: 'index', path: 'blog/models.py', orm: 'django', model: 'Post', fields: ['title'] }],
      ['src/users.ts', { kind: 'index', path: 'prisma/schema.prisma', orm: 'prisma', model: 'User', fields: ['email'] }],
      ['src/users.ts', { kind: 'index', path: 'prisma/schema.prisma', orm: 'prisma', model: 'User', fields: ['email'] }],
    ]);
    assert.match(perflens(ws.root, ['lint']).stdout, /Add @@index\(\[email\]\) to model User \(schema\.prisma\) \(fix: --fix --unsafe-fixes, changes behaviour, writes another file only\)/);
    perflens(ws.root, ['lint', '--fix']);
    assert.doesNotMatch(ws.read('prisma/schema.prisma'), /@@index/, 'not without --unsafe-fixes');

    const run = perflens(ws.root, ['lint', '--fix', '--unsafe-fixes']);
    assert.match(run.stderr, /added an index on User\(email\) to prisma\/schema\.prisma/);
    assert.match(run.stderr, /added an index on Post\(title\) to blog\/models\.py/);
    assert.equal(ws.read('prisma/schema.prisma'), 'model User {\n  id    Int    @id\n  email String\n\n  @@index([email])\n}\n');
    assert.match(ws.read('blog/models.py'), /    title = models\.CharField\(max_length=200, db_index=True\)\n/);
    assert.equal(json(perflens(ws.root, ['lint', '--format', 'json'])).findings.filter((f: any) => f.rule === 'unindexed-filter').length, 0, 'the cache knows the models changed');
  });

  it('a tasks module that a fix adds to and that has fixes of its own keeps both (fixed from its text after the addition)', () => {
    ws.write('requirements.txt', 'flask\ncelery\n');
    ws.write('app.py', 'from django.core.mail import send_mail\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post("/signup")\ndef signup():\n    send_mail("Hi", "Welcome", "noreply@example.com", [request.form["email"]])\n    return "", 201\n');
    ws.write('tasks.py', 'import functools\n\nfrom celery import shared_task\n\n\n@functools.lru_cache(maxsize=None)\ndef template(name):\n    return open(name).read()\n');
    const run = perflens(ws.root, ['lint', '--fix', '--unsafe-fixes']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const tasks = ws.read('tasks.py');
    assert.match(tasks, /@functools\.lru_cache\(maxsize=1024\)/, tasks);
    assert.match(tasks, /@shared_task\ndef send_mail_task\(\*args, \*\*kwargs\):/, tasks);
    assert.match(ws.read('app.py'), /from tasks import send_mail_task\n[\s\S]*send_mail_task\.delay\(/);
  });

  it('moves an untimed request of an async FastAPI handler to a thread and gives it a timeout, in one pass', () => {
    ws.write('main.py', 'import requests\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/b")\nasync def b():\n    r = requests.get("https://x.example.com")\n    return r.json()\n');
    assert.deepEqual(json(perflens(ws.root, ['lint', '--format', 'json'])).findings.map((f) => f.rule), ['blocking-call-in-handler', 'request-without-timeout']);
    const run = perflens(ws.root, ['lint', '--fix', '--unsafe-fixes']);
    assert.match(run.stdout, /Applied 2 fixes\./);
    assert.match(ws.read('main.py'), /    r = await asyncio\.to_thread\(requests\.get, "https:\/\/x\.example\.com", timeout=10\)\n/);
    assert.equal(json(perflens(ws.root, ['lint', '--format', 'json'])).findings.length, 0);
  });

  it('keeps a UTF-8 byte-order mark and CRLF line ends of a fixed file', () => {
    ws.write('q.sql', '\uFEFF' + OFFSET_SQL.replace(/\n/g, '\r\n'));
    perflens(ws.root, ['lint', '--fix', '--unsafe-fixes']);
    const fixed = ws.read('q.sql');
    assert.ok(fixed.startsWith('\uFEFFSELECT'), JSON.stringify(fixed.slice(0, 10)));
    assert.doesNotMatch(fixed, /OFFSET/);
    assert.match(fixed, /\r\nORDER BY created_at DESC, id DESC\r\n/);
    assert.doesNotMatch(fixed, /[^\r]\n/);
  });
});
