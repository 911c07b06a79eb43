/** The bundled CLI as users run it: `node bin/perflens.js lint …` on temporary workspaces. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { PRISMA_HANDLER } from '../harness/samples';
import { TempWorkspace, json, perflens } from './run-cli';

const OFFSET_SQL = 'SELECT id, title FROM posts\nORDER BY created_at DESC\nLIMIT 20 OFFSET $1;\n';
const DJANGO_VIEW = `from django.http import JsonResponse
from .models import Post


def post_list(request):
    page = int(request.GET.get("page", 1))
    start = (page - 1) * 20
    posts = Post.objects.order_by("-created_at")[start:start + 20]
    return JsonResponse({"posts": [p.title for p in posts]})
`;

describe('perflens CLI', () => {
  const ws = new TempWorkspace();
  const write = (rel: string, text: string | Buffer) => ws.write(rel, text);
  let root: string;

  beforeEach(() => {
    ws.create();
    root = ws.root;
  });
  afterEach(() => ws.remove());

  it('a Django view known only through urls.py, linted after urls.py, is still a handler', () => {
    write('requirements.txt', 'Django\nrequests\n');
    write('app/urls.py', 'from django.urls import path\n\nfrom . import zpages\n\nurlpatterns = [path("d/", zpages.dashboard)]\n');
    write('app/zpages.py', 'import requests\n\n\ndef dashboard(req):\n    return requests.get("https://example.com/x").json()\n');
    const run = perflens(root, ['lint', '--format', 'json', '--jobs', '1']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(json(run).findings.map((f) => `${f.file}:${f.line} ${f.rule}`), ['app/zpages.py:5 request-without-timeout']);
  });

  it('prints the JSON contract with 1-based positions and fixes', () => {
    write('db/queries.sql', OFFSET_SQL);
    const run = perflens(root, ['lint', '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const out = json(run);
    assert.equal(out.version, 1);
    assert.equal(out.files, 1);
    assert.equal(out.findings.length, 1);
    const f = out.findings[0];
    assert.deepEqual(Object.keys(f), ['rule', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'fixes']);
    assert.deepEqual([f.rule, f.severity, f.file, f.line, f.column, f.endLine, f.endColumn], ['offset-pagination', 'warning', 'db/queries.sql', 3, 10, 3, 19]);
    assert.match(f.message, /CREATE INDEX .* ON posts \(created_at DESC, id DESC\)/);
    assert.equal(f.fixes[0].applicability, 'unsafe');
    assert.deepEqual(Object.keys(f.fixes[0].edits[0]), ['file', 'line', 'column', 'endLine', 'endColumn', 'newText']);
  });

  it('finds offset pagination in TypeScript, Python and SQL in one run', () => {
    write('src/routes/posts.ts', PRISMA_HANDLER);
    write('blog/views.py', DJANGO_VIEW);
    write('db/queries.sql', OFFSET_SQL);
    const out = json(perflens(root, ['lint', '--format', 'json']));
    assert.deepEqual(
      out.findings.map((f) => `${f.file}:${f.line}`),
      ['blog/views.py:8', 'db/queries.sql:3', 'src/routes/posts.ts:11'],
    );
  });

  it('prints SARIF 2.1.0 with rules, regions and fixes', () => {
    write('q.sql', OFFSET_SQL);
    const sarif = JSON.parse(perflens(root, ['lint', '--format', 'sarif']).stdout);
    assert.equal(sarif.version, '2.1.0');
    const runResult = sarif.runs[0];
    assert.equal(runResult.tool.driver.name, 'PerfLens');
    const rule = runResult.tool.driver.rules.find((x: { id: string }) => x.id === 'offset-pagination');
    assert.match(rule.helpUri, /docs\/rules\/offset-pagination\.md$/);
    const r = runResult.results[0];
    assert.equal(r.ruleId, 'offset-pagination');
    assert.equal(runResult.tool.driver.rules[r.ruleIndex].id, 'offset-pagination');
    assert.equal(r.level, 'warning');
    assert.deepEqual(r.locations[0].physicalLocation.artifactLocation, { uri: 'q.sql', uriBaseId: '%SRCROOT%' });
    assert.equal(r.locations[0].physicalLocation.region.startLine, 3);
    assert.ok(r.fixes[0].artifactChanges[0].replacements.length > 0);
  });

  it('prints text with the code excerpt marked, colour only when asked', () => {
    write('q.sql', OFFSET_SQL);
    const plain = perflens(root, ['lint']).stdout;
    assert.match(plain, /^q\.sql:3:10  warning  .*\[offset-pagination\]$/m);
    assert.match(plain, /  3 \| LIMIT 20 OFFSET \$1;\n    \|          \^{9}\n/);
    assert.match(plain, /1 problem \(0 errors, 1 warning\) in 1 file/);
    assert.doesNotMatch(plain, /\x1b\[/);
    assert.match(perflens(root, ['lint'], { FORCE_COLOR: '1' }).stdout, /\x1b\[33mwarning/);
  });

  it('exits 1 on error-severity findings, 0 otherwise, 2 on usage errors', () => {
    write('q.sql', OFFSET_SQL);
    assert.equal(perflens(root, ['lint']).status, 0);
    write('.perflens.json', JSON.stringify({ rules: { 'offset-pagination': 'error' } }));
    assert.equal(perflens(root, ['lint']).status, 1);
    assert.equal(perflens(root, ['lint', '--format', 'xml']).status, 2);
    assert.equal(perflens(root, ['lint', '--nope']).status, 2);
    assert.equal(perflens(root, ['lint', 'missing.sql']).status, 2);
    assert.equal(perflens(root, ['frobnicate']).status, 2);
    const unknownRule = perflens(root, ['lint', '--rule', 'no-such-rule']);
    assert.equal(unknownRule.status, 2);
    assert.match(unknownRule.stderr, /known rules: .*offset-pagination/);
  });

  it('turns a rule off from .perflens.json, and --rule narrows the run', () => {
    write('q.sql', OFFSET_SQL);
    assert.equal(json(perflens(root, ['lint', '--format', 'json', '--rule', 'offset-pagination'])).findings.length, 1);
    write('.perflens.json', JSON.stringify({ rules: { 'offset-pagination': 'off' } }));
    assert.equal(json(perflens(root, ['lint', '--format', 'json'])).findings.length, 0);
  });

  it('honours .gitignore, skips node_modules, and applies include/exclude', () => {
    write('.gitignore', 'generated/\n');
    write('generated/q.sql', OFFSET_SQL);
    write('node_modules/pkg/q.sql', OFFSET_SQL);
    write('legacy/q.sql', OFFSET_SQL);
    write('db/q.sql', OFFSET_SQL);
    assert.deepEqual(json(perflens(root, ['lint', '--format', 'json'])).findings.map((f) => f.file), ['db/q.sql', 'legacy/q.sql']);
    write('.perflens.json', JSON.stringify({ exclude: ['legacy/**'] }));
    assert.deepEqual(json(perflens(root, ['lint', '--format', 'json'])).findings.map((f) => f.file), ['db/q.sql']);
  });

  it('lints only the paths given, relative to --root', () => {
    write('a/q.sql', OFFSET_SQL);
    write('b/q.sql', OFFSET_SQL);
    const out = json(perflens(root, ['lint', '--root', root, '--format', 'json', path.join(root, 'b')]));
    assert.deepEqual(out.findings.map((f) => f.file), ['b/q.sql']);
  });

  it('reads schema.prisma and entity files under --root for lazy loads in a file linted alone', () => {
    write('prisma/schema.prisma', 'model User {\n  id    Int    @id\n  posts Post[]\n}\n\nmodel Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n');
    write('src/entities.ts', "import { Entity, ManyToOne } from 'typeorm';\n@Entity()\nexport class Article {\n  @ManyToOne(() => Writer) writer!: Promise<Writer>;\n}\n");
    write('src/feed.ts', "import { Article } from './entities';\nexport async function feed(articles: Article[]) {\n  for (const a of articles) console.log(await a.writer);\n}\n");
    write('src/posts.ts', "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function f(posts: { id: number }[]) {\n  for (const post of posts) await prisma.post.findFirst({ where: { id: post.id } }).author();\n}\n");
    const out = json(perflens(root, ['lint', '--root', root, '--format', 'json', path.join(root, 'src/feed.ts'), path.join(root, 'src/posts.ts')]));
    assert.deepEqual(out.findings.map((f) => [f.file, f.line]), [['src/feed.ts', 3], ['src/posts.ts', 4]]);
    assert.match(out.findings[0].message, /lazy relation `Article\.writer` \(Writer\)/);
    assert.match(out.findings[1].message, /loads `author` \(User\)/);
  });

  it('knows the keys and indexes of every .sql file: a foreign key added in a later migration, indexed by an earlier one', () => {
    write('db/migrations/0001_init.sql', 'CREATE TABLE post_tags (post_id bigint NOT NULL, tag_id bigint NOT NULL, PRIMARY KEY (post_id, tag_id));\n');
    write('db/migrations/0002_keys.sql', 'ALTER TABLE post_tags ADD FOREIGN KEY (post_id) REFERENCES posts (id);\nALTER TABLE post_tags ADD FOREIGN KEY (tag_id) REFERENCES tags (id);\n');
    // Linted alone, the later migration still sees the earlier one's primary key; the cache must not hide a change to it.
    for (let run = 0; run < 2; run++) {
      const out = json(perflens(root, ['lint', '--root', root, '--format', 'json', path.join(root, 'db/migrations/0002_keys.sql')]));
      assert.deepEqual(out.findings.map((f) => [f.rule, f.file, f.line]), [['unindexed-foreign-key', 'db/migrations/0002_keys.sql', 2]]);
      assert.match(out.findings[0].message, /`post_tags\.tag_id` references `tags`.*in a new migration/);
    }
    write('db/migrations/0003_tag_index.sql', 'CREATE INDEX post_tags_tag_id_idx ON post_tags (tag_id);\n');
    assert.deepEqual(json(perflens(root, ['lint', '--root', root, '--format', 'json', path.join(root, 'db/migrations/0002_keys.sql')])).findings, []);
  });

  it('a multi-file Prisma schema: the datasource in another file of the folder says MySQL', () => {
    write('prisma/schema/schema.prisma', 'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n');
    write('prisma/schema/post.prisma', 'model User {\n  id    Int    @id\n  posts Post[]\n}\n\nmodel Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n');
    assert.deepEqual(json(perflens(root, ['lint', '--format', 'json'])).findings, []);
    write('prisma/schema/schema.prisma', 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n');
    assert.deepEqual(json(perflens(root, ['lint', '--no-cache', '--format', 'json'])).findings.map((f) => [f.rule, f.file, f.line]), [['unindexed-foreign-key', 'prisma/schema/post.prisma', 9]]);
  });

  it('a new database driver in package.json re-lints what the cache holds', () => {
    write('db/schema.sql', 'CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint REFERENCES authors (id));\n');
    const findings = () => json(perflens(root, ['lint', '--format', 'json'])).findings.map((f) => f.rule);
    assert.deepEqual(findings(), ['unindexed-foreign-key']);
    assert.deepEqual(findings(), ['unindexed-foreign-key']);
    write('package.json', JSON.stringify({ dependencies: { mysql2: '^3.9.0' } }));
    assert.deepEqual(findings(), []);
  });

  it('respects suppression comments', () => {
    write('q.sql', `-- perflens-ignore-next-line offset-pagination\n${OFFSET_SQL.replace(/\n/g, ' ')}\n`);
    assert.equal(json(perflens(root, ['lint', '--format', 'json'])).findings.length, 0);
  });

  it('skips binary files and survives broken ones', () => {
    write('blob.sql', Buffer.from([0x53, 0x45, 0x00, 0xff, 0xfe, 0x00]));
    write('latin1.py', Buffer.from('x = "caf\xe9"\n', 'latin1'));
    write('broken.ts', 'export function (( {\n  const = ;\n');
    write('broken.py', 'def f(:\n  return [\n');
    write('q.sql', OFFSET_SQL);
    const run = perflens(root, ['lint', '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(json(run).findings.map((f) => f.file), ['q.sql']);
    assert.match(run.stderr, /blob\.sql: skipped \(binary file\)/);
    assert.match(run.stderr, /latin1\.py: skipped \(not UTF-8\)/);
  });

  it('reports skipped files on stderr in text output too, and skips files over 2 MB', () => {
    write('blob.sql', Buffer.from([0x00, 0x01]));
    write('dump.sql', 'SELECT 1;\n'.repeat(220_000));
    write('q.sql', OFFSET_SQL);
    const run = perflens(root, ['lint']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /blob\.sql: skipped \(binary file\)/);
    assert.match(run.stderr, /dump\.sql: skipped \(larger than 2 MB\)/);
    assert.doesNotMatch(run.stdout, /: skipped \(/);
    assert.match(run.stdout, /1 problem .* \(1 file checked\)/);
  });

  it('goes on when a file cannot be analysed, naming it on stderr', () => {
    // Deeper than the TypeScript parser can take: the adapter refuses it with a reason.
    write('src/deep.ts', `export const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`);
    write('src/routes/posts.ts', PRISMA_HANDLER);
    const run = perflens(root, ['lint', '--format', 'json']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(json(run).findings.map((f) => f.file), ['src/routes/posts.ts']);
    assert.equal(json(run).files, 2);
    assert.match(run.stderr, /deep\.ts: not analysed/);
  });

  it('encodes artifact URIs in SARIF and says how columns are counted', () => {
    write('my queries/q#1.sql', OFFSET_SQL);
    const run = JSON.parse(perflens(root, ['lint', '--format', 'sarif']).stdout).runs[0];
    assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, 'my%20queries/q%231.sql');
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.match(run.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);
  });

  it('treats everything after -- as paths; no command is a usage error', () => {
    write('-odd.sql', OFFSET_SQL);
    assert.deepEqual(json(perflens(root, ['lint', '--format', 'json', '--', '-odd.sql'])).findings.map((f) => f.file), ['-odd.sql']);
    const bare = perflens(root, []);
    assert.equal(bare.status, 2);
    assert.match(bare.stderr, /Usage: perflens lint/);
  });

  it('prints help and version', () => {
    assert.match(perflens(root, ['--help']).stdout, /Usage: perflens lint/);
    assert.match(perflens(root, ['--version']).stdout, /^\d+\.\d+\.\d+/);
  });
});
