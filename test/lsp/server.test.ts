/** The bundled server over stdio, as an editor talks to it. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PRISMA_HANDLER as HANDLER } from '../harness/samples';
import { startServer, type TestClient } from './client';


const capabilities = (pull: boolean) => ({
  workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, applyEdit: true },
  window: { workDoneProgress: true, showDocument: { support: true } },
  textDocument: {
    ...(pull ? { diagnostic: { dynamicRegistration: false } } : {}),
    publishDiagnostics: { versionSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, isPreferredSupport: true },
  },
});

describe('language server over stdio', function () {
  this.timeout(60_000);
  let root: string;
  let client: TestClient | undefined;
  let uri: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-lsp-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/posts.ts'), HANDLER);
    fs.writeFileSync(path.join(root, 'schema.sql'), 'SELECT * FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    uri = pathToFileURL(path.join(root, 'src/posts.ts')).href;
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function initialize(pull: boolean, settings: Record<string, unknown> = {}) {
    client = startServer(settings);
    const init: any = await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
      capabilities: capabilities(pull),
    });
    client.connection.sendNotification('initialized', {});
    client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: HANDLER } });
    return init;
  }

  it('initialize → pull diagnostics → code actions → executeCommand → shutdown', async () => {
    const init = await initialize(true);
    assert.ok(init.capabilities.diagnosticProvider, 'pull diagnostics offered');
    assert.deepEqual(init.capabilities.executeCommandProvider.commands.sort(), ['perflens.applyFix', 'perflens.benchmark', 'perflens.compareFix', 'perflens.explain', 'perflens.showDocumentation', 'perflens.suggestIndex']);

    const report: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    assert.equal(report.items.length, 1);
    const d = report.items[0];
    assert.equal(d.source, 'perflens');
    assert.equal(d.code, 'offset-pagination');
    assert.match(d.codeDescription.href, /docs\/rules\/offset-pagination\.md$/);
    assert.deepEqual(d.range.start, { line: 10, character: 4 });
    assert.equal(d.severity, 2);

    // Unchanged document: the server answers "unchanged" without linting again.
    const again: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId: report.resultId });
    assert.equal(again.kind, 'unchanged');

    const actions: any[] = await client!.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    });
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, [
      'Rewrite to keyset pagination on (createdAt, id) (changes behaviour)',
      'Disable offset-pagination for this line',
      'Show documentation for offset-pagination',
    ]);
    assert.equal(actions[0].isPreferred, false, 'an unsafe fix is never preferred');
    const edits = actions[0].edit.changes[uri];
    assert.ok(edits.some((e: any) => e.newText.includes('cursor: { id: Number(req.query.after) }')));
    assert.deepEqual(actions[1].edit.changes[uri], [{ range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, newText: '    // perflens-ignore-next-line offset-pagination\n' }]);

    // Fix-all applies safe fixes only: the keyset rewrite is unsafe, so there is nothing to do.
    const fixAll: any[] = await client!.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.perflens'] },
    });
    assert.deepEqual(fixAll, []);

    const docs: any = await client!.connection.sendRequest('workspace/executeCommand', { command: 'perflens.showDocumentation', arguments: ['offset-pagination'] });
    assert.match(docs.url, /offset-pagination\.md$/);
    await assert.rejects(client!.connection.sendRequest('workspace/executeCommand', { command: 'perflens.nope', arguments: [] }));

    // An edit that removes the offset clears the diagnostic.
    const fixed = HANDLER.replace('    skip: (page - 1) * 20,\n', '');
    client!.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const after: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId: report.resultId });
    assert.equal(after.kind, 'full');
    assert.equal(after.items.length, 0);

    await client!.waitFor('perflens/status', (p) => p.state === 'ready');
    assert.ok(client!.configurationRequests > 0, 'settings are pulled per document');
  });

  it('a foreign key in a migration that has run: the quick fix writes the next migration of the folder', async () => {
    fs.mkdirSync(path.join(root, 'migrations'));
    const migration = "exports.up = (knex) => knex.schema.createTable('posts', (t) => {\n  t.increments('id');\n  t.integer('user_id').references('users.id');\n});\n";
    fs.writeFileSync(path.join(root, 'migrations/20240101000000_init.js'), migration);
    await initialize(true);
    // The index is built: what changes after this comes from the watched-file events.
    await client!.waitFor('perflens/status', (p) => p.state === 'ready');
    const muri = pathToFileURL(path.join(root, 'migrations/20240101000000_init.js')).href;
    client!.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: muri, languageId: 'javascript', version: 1, text: migration } });
    const report: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: muri } });
    assert.deepEqual(report.items.map((d: any) => [d.code, d.severity]), [['unindexed-foreign-key', 2]], 'a warning: migrations are where schemas are written');
    const actions: any[] = await client!.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: muri }, range: report.items[0].range, context: { diagnostics: report.items, only: ['quickfix'] } });
    assert.match(actions[0].title, /^Add an index on posts \(user_id\) in a new migration: \d{14}_add_posts_user_id_index\.js \(changes behaviour\)$/);
    const [create, fill] = actions[0].edit.documentChanges;
    assert.equal(create.kind, 'create');
    assert.equal(create.options.overwrite, false);
    assert.match(create.uri, /\/migrations\/\d{14}_add_posts_user_id_index\.js$/);
    assert.equal(fill.textDocument.uri, create.uri);
    assert.match(fill.edits[0].newText, /^exports\.up = \(knex\) =>\n  knex\.schema\.alterTable\('posts', \(table\) => \{\n    table\.index\(\['user_id'\]\);/);

    // The migration written to disk (not open): the open migration's finding goes.
    const written = fileURLToPath(create.uri);
    fs.writeFileSync(written, fill.edits[0].newText);
    client!.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: create.uri, type: 1 }] });
    let items: unknown[] = report.items;
    for (let i = 0; i < 100 && items.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      items = ((await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: muri } })) as any).items;
    }
    assert.deepEqual(items, [], 'the finding went with the new migration on disk');
  });

  it('a send in a Django view: advice only until Celery is in the requirements, then a quick fix that edits the view and the app\'s tasks.py in one workspace edit', async () => {
    fs.writeFileSync(path.join(root, 'requirements.txt'), 'Django==5.1\n');
    fs.mkdirSync(path.join(root, 'blog'));
    const view = 'from django.core.mail import send_mail\nfrom django.http import HttpResponse\n\n\ndef signup(request):\n    send_mail("Hi", "Welcome", "noreply@example.com", [request.POST["email"]])\n    return HttpResponse(status=201)\n';
    fs.writeFileSync(path.join(root, 'blog/views.py'), view);
    await initialize(true);
    await client!.waitFor('perflens/status', (p) => p.state === 'ready');
    const vuri = pathToFileURL(path.join(root, 'blog/views.py')).href;
    const tasksUri = pathToFileURL(path.join(root, 'blog/tasks.py')).href;
    client!.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: vuri, languageId: 'python', version: 1, text: view } });
    let report: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: vuri } });
    assert.deepEqual(report.items.map((d: any) => d.code), ['blocking-call-in-handler']);
    const actionsFor = async (): Promise<any[]> =>
      client!.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: vuri }, range: report.items[0].range, context: { diagnostics: report.items, only: ['quickfix'] } });
    assert.deepEqual((await actionsFor()).map((a) => a.title), ['Disable blocking-call-in-handler for this line', 'Show documentation for blocking-call-in-handler'], 'no Celery: advice only');
    // Celery added to the requirements: the fix comes with the next diagnostics.
    fs.writeFileSync(path.join(root, 'requirements.txt'), 'Django==5.1\ncelery==5.4\n');
    client!.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(root, 'requirements.txt')).href, type: 2 }] });
    for (let i = 0; i < 100; i++) {
      report = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: vuri } });
      if (report.items[0]?.data.fixes[0]?.applicability === 'unsafe') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    let [action] = await actionsFor();
    assert.equal(action.title, 'Send on a Celery worker: `send_mail_task.delay(…)`, a task added to blog/tasks.py (a failed send no longer fails the request) (changes behaviour)');
    // No tasks.py yet: the edit creates it.
    let [own, create, fill] = action.edit.documentChanges;
    assert.deepEqual(own.textDocument, { uri: vuri, version: 1 });
    assert.deepEqual(own.edits.map((e: any) => e.newText), ['from .tasks import send_mail_task\n', 'send_mail_task.delay']);
    assert.deepEqual(create, { kind: 'create', uri: tasksUri, options: { overwrite: false, ignoreIfExists: true } });
    assert.equal(fill.textDocument.uri, tasksUri);
    assert.match(fill.edits[0].newText, /^from celery import shared_task\nfrom django\.core\.mail import send_mail\n\n\n@shared_task\ndef send_mail_task/);

    // tasks.py open in the editor with unsaved text: the edit is made from that text, for that version.
    const tasks = 'from celery import shared_task\n\n\n@shared_task\ndef ping():\n    return "pong"\n';
    client!.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: tasksUri, languageId: 'python', version: 7, text: tasks } });
    [action] = await actionsFor();
    [own, fill] = action.edit.documentChanges;
    assert.equal(action.edit.documentChanges.length, 2);
    assert.deepEqual(fill.textDocument, { uri: tasksUri, version: 7 });
    assert.deepEqual(fill.edits.map((e: any) => [e.range.start.line, e.newText.split('\n')[0]]), [[1, 'from django.core.mail import send_mail'], [6, '']]);
  });

  it('pushes diagnostics to a client without pull support', async () => {
    const init = await initialize(false);
    assert.equal(init.capabilities.diagnosticProvider, undefined);
    const published = await client!.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
    assert.equal(published.diagnostics[0].code, 'offset-pagination');
    assert.equal(published.version, 1);
  });

  it('warms up at start when the editor is idle, and publishes nothing for its samples', async () => {
    await initialize(false);
    await client!.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
    const log = await client!.waitFor('window/logMessage', (p) => p.message.startsWith('warm-up:'), 45_000);
    // The workspace has TypeScript and SQL: the TypeScript sample only.
    assert.match(log.message, /^warm-up: 41 analyses of built-in typescript samples in \d+ ms$/);
    const published = client!.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics').map((n) => n.params.uri);
    assert.deepEqual([...new Set(published)], [uri], 'diagnostics only for the open document');
    // Still answering, with the document's own findings.
    const changed = HANDLER + '\n// typed\n';
    client!.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: changed }] });
    const again = await client!.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 2);
    assert.equal(again.diagnostics[0].code, 'offset-pagination');
  });

  it('applies per-document settings: a rule turned off reports nothing', async () => {
    await initialize(true, { rules: { 'offset-pagination': 'off' } });
    const report: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.items.length, 0);
  });

  it('survives broken and binary documents and keeps answering', async () => {
    await initialize(true);
    const broken = pathToFileURL(path.join(root, 'src/broken.py')).href;
    client!.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: broken, languageId: 'python', version: 1, text: 'def f(:\n  return [\n\u0000\u0001' } });
    const r1: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: broken } });
    assert.equal(r1.kind, 'full');
    const r2: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(r2.items.length, 1);
  });
});

describe('language server: knowledge from the workspace index', function () {
  this.timeout(60_000);
  let root: string;
  let client: TestClient | undefined;

  afterEach(async () => {
    await client?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A Django app whose view reads a relation defined in models.py; the view is opened after indexing. */
  function djangoBlog(prefix: string): { view: string; uri: string } {
    root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.mkdirSync(path.join(root, 'blog'));
    fs.writeFileSync(
      path.join(root, 'blog/models.py'),
      'from django.db import models\n\n\nclass Author(models.Model):\n    name = models.CharField(max_length=100)\n\n\nclass Post(models.Model):\n    author = models.ForeignKey(Author, on_delete=models.CASCADE)\n',
    );
    // The posts of the request's site: every post would be an unbounded-result-set finding too.
    const view = 'from .models import Post\n\n\ndef index(request):\n    return [p.author.name for p in Post.objects.filter(site=request.site)]\n';
    fs.writeFileSync(path.join(root, 'blog/views.py'), view);
    return { view, uri: pathToFileURL(path.join(root, 'blog/views.py')).href };
  }

  async function indexThenPull(view: string, uri: string, caps: object = capabilities(true)): Promise<any[]> {
    client = startServer();
    await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: caps });
    client.connection.sendNotification('initialized', {});
    await client.waitFor('perflens/status', (p) => p.state === 'ready', 60_000);
    client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: view } });
    const report: any = await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    assert.deepEqual(report.items.map((d: any) => d.code), ['n-plus-one']);
    assert.match(report.items[0].message, /`p\.author` loads one Author per item/);
    return report.items;
  }

  it('knows Django relations defined in another file once the index is built', async () => {
    const { view, uri } = djangoBlog('perflens-lsp-django-');
    const items = await indexThenPull(view, uri);
    const actions: any[] = await client!.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: items[0].range, context: { diagnostics: items, only: ['quickfix'] } });
    assert.equal(actions[0].title, 'Add select_related("author") to the queryset');
    assert.equal(actions[0].isPreferred, true, 'a safe fix is preferred');
  });

  it('re-lints an open view when the models it reads change in another open document, and asks the client to re-pull', async () => {
    const { view, uri } = djangoBlog('perflens-lsp-revision-');
    const items = await indexThenPull(view, uri, { ...capabilities(true), workspace: { configuration: true, diagnostics: { refreshSupport: true } } });
    const first: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    const modelsUri = pathToFileURL(path.join(root, 'blog/models.py')).href;
    const models = fs.readFileSync(path.join(root, 'blog/models.py'), 'utf8');
    client!.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: modelsUri, languageId: 'python', version: 1, text: models } });
    await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: modelsUri } });
    // Typing in models.py without changing a relation: the view's result is unchanged.
    client!.connection.sendNotification('textDocument/didChange', { textDocument: { uri: modelsUri, version: 2 }, contentChanges: [{ text: `# blog models\n${models}` }] });
    await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: modelsUri } });
    const same: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
    assert.equal(same.kind, 'unchanged');
    // The relation typed away: the server asks for a re-pull, and the view's N+1 is gone.
    const refreshes = client!.refreshRequests;
    client!.connection.sendNotification('textDocument/didChange', { textDocument: { uri: modelsUri, version: 3 }, contentChanges: [{ text: models.replace(/author = models\.ForeignKey\(Author, on_delete=models\.CASCADE\)/, 'author_name = models.CharField(max_length=100)') }] });
    await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: modelsUri } });
    for (let i = 0; i < 100 && client!.refreshRequests === refreshes; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(client!.refreshRequests > refreshes, 'the client was asked to re-pull');
    const after: any = await client!.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
    assert.equal(after.kind, 'full');
    assert.deepEqual(after.items, [], `before: ${items.map((d: any) => d.message).join('; ')}`);
  });

  it("reads DRF's default pagination from the project's settings, and re-lints a view when the settings change", async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-lsp-drf-'));
    fs.mkdirSync(path.join(root, 'blog'));
    fs.mkdirSync(path.join(root, 'mysite'));
    const settings = 'INSTALLED_APPS = ["rest_framework", "blog"]\n';
    fs.writeFileSync(path.join(root, 'mysite/settings.py'), settings);
    const view = 'from rest_framework import viewsets\n\nfrom .models import Post\nfrom .serializers import PostSerializer\n\n\nclass PostViewSet(viewsets.ModelViewSet):\n    queryset = Post.objects.all()\n    serializer_class = PostSerializer\n';
    fs.writeFileSync(path.join(root, 'blog/views.py'), view);
    const uri = pathToFileURL(path.join(root, 'blog/views.py')).href;
    client = startServer();
    await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: { ...capabilities(true), workspace: { configuration: true, diagnostics: { refreshSupport: true } } } });
    client.connection.sendNotification('initialized', {});
    await client.waitFor('perflens/status', (p) => p.state === 'ready', 60_000);
    client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: view } });
    const first: any = await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    assert.deepEqual(first.items.map((d: any) => d.code), ['unbounded-result-set']);
    // The settings gain a default pagination class: the server asks for a re-pull, and the finding is gone.
    const settingsUri = pathToFileURL(path.join(root, 'mysite/settings.py')).href;
    client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: settingsUri, languageId: 'python', version: 1, text: settings } });
    await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: settingsUri } });
    const refreshes = client.refreshRequests;
    client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: settingsUri, version: 2 }, contentChanges: [{ text: `${settings}REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination"}\n` }] });
    await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: settingsUri } });
    for (let i = 0; i < 100 && client.refreshRequests === refreshes; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(client.refreshRequests > refreshes, 'the client was asked to re-pull');
    const after: any = await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
    assert.equal(after.kind, 'full');
    assert.deepEqual(after.items, []);
  });

  it('a filter no index serves: the quick fix adds the @@index to schema.prisma, and with it the finding goes', async () => {
    const schema = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel User {\n  id   Int    @id @default(autoincrement())\n  name String\n}\n';
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-lsp-filter-'));
    fs.mkdirSync(path.join(root, 'prisma'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'prisma/schema.prisma'), schema);
    const code = "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const byName = (name: string) => prisma.user.findMany({ where: { name }, take: 20 });\n";
    fs.writeFileSync(path.join(root, 'src/users.ts'), code);
    const usersUri = pathToFileURL(path.join(root, 'src/users.ts')).href;
    const schemaUri = pathToFileURL(path.join(root, 'prisma/schema.prisma')).href;
    client = startServer();
    await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: { ...capabilities(true), workspace: { configuration: true, diagnostics: { refreshSupport: true } } } });
    client.connection.sendNotification('initialized', {});
    await client.waitFor('perflens/status', (p) => p.state === 'ready', 60_000);
    client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: usersUri, languageId: 'typescript', version: 1, text: code } });
    const report: any = await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: usersUri } });
    assert.deepEqual(report.items.map((d: any) => d.code), ['unindexed-filter']);
    assert.deepEqual(report.items[0].range.start, { line: 2, character: 72 });
    const [action]: any[] = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: usersUri }, range: report.items[0].range, context: { diagnostics: report.items, only: ['quickfix'] } });
    assert.equal(action.title, 'Add @@index([name]) to model User (schema.prisma) (changes behaviour)');
    const [own, other] = action.edit.documentChanges;
    assert.deepEqual(own, { textDocument: { uri: usersUri, version: 1 }, edits: [] });
    assert.deepEqual(other.textDocument, { uri: schemaUri, version: null });
    assert.deepEqual(other.edits, [{ range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, newText: '\n  @@index([name])\n' }]);
    // The editor applies it: schema.prisma opens with the index; the query's finding is re-made without it.
    const refreshes = client.refreshRequests;
    const indexed = schema.replace('  name String\n', '  name String\n\n  @@index([name])\n');
    client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: schemaUri, languageId: 'prisma', version: 1, text: indexed } });
    await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: schemaUri } });
    for (let i = 0; i < 100 && client.refreshRequests === refreshes; i++) await new Promise((r) => setTimeout(r, 50));
    const after: any = await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: usersUri } });
    assert.deepEqual(after.items, []);
  });

  it('indexes a large workspace on a worker thread and knows its models', async () => {
    const { view, uri } = djangoBlog('perflens-lsp-workers-');
    // Enough files that the server does not index them on its own thread.
    fs.mkdirSync(path.join(root, 'lib'));
    for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(root, `lib/m${i}.ts`), `export const m${i} = ${i};\n`);
    await indexThenPull(view, uri);
    const logs = client!.logs;
    assert.ok(logs.includes('indexed 402 files'), logs.join('\n'));
    assert.ok(logs.some((l) => /^index: 402 files on [12] worker threads?$/.test(l)), logs.join('\n'));
    assert.ok(!logs.some((l) => /worker failed/.test(l)), logs.join('\n'));
  });

  for (const refreshSupport of [true, false]) {
    it(`a pull client ${refreshSupport ? 'that can' : 'that cannot'} refresh is ${refreshSupport ? '' : 'not '}asked to re-pull once the index is built`, async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-lsp-refresh-'));
      fs.writeFileSync(path.join(root, 'a.ts'), 'export const a = 1;\n');
      client = startServer();
      const caps = { ...capabilities(true), workspace: { configuration: true, diagnostics: { refreshSupport } } };
      await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: caps });
      client.connection.sendNotification('initialized', {});
      await client.waitFor('perflens/status', (p) => p.state === 'ready');
      // The server still answers (a refused refresh once ended the process).
      const uri = pathToFileURL(path.join(root, 'a.ts')).href;
      client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: 'export const a = 1;\n' } });
      const report: any = await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
      assert.deepEqual(report.items, []);
      assert.equal(client.refreshRequests > 0, refreshSupport);
    });
  }
});
