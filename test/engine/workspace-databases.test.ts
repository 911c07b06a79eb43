import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { manifestDependencies, mysqlOnly, workspaceManifests } from '../../server/src/engine/workspace-databases';
import { WorkspaceModels } from '../../server/src/engine/workspace-models';
import { casedColumn, drizzleCasingIn } from '../../server/src/languages/typescript/drizzle-casing';

const workspaceDatabases = (root: string) => workspaceManifests(root).databases;

describe('workspace databases and job queues (from what the manifests name)', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-dbs-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads package.json, requirements.txt, pyproject.toml and Pipfile at the root and one folder down', () => {
    fs.mkdirSync(path.join(root, 'api'));
    fs.mkdirSync(path.join(root, 'worker'));
    fs.mkdirSync(path.join(root, 'node_modules/x'), { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ devDependencies: { typescript: '6.0.3' } }));
    fs.writeFileSync(path.join(root, 'api/package.json'), JSON.stringify({ dependencies: { mysql2: '^3.9.0' } }));
    fs.writeFileSync(path.join(root, 'worker/Pipfile'), '[packages]\nsqlalchemy = "*"\nasyncmy = "*"\n');
    // A driver inside node_modules is not the workspace's.
    fs.writeFileSync(path.join(root, 'node_modules/x/package.json'), JSON.stringify({ dependencies: { pg: '8' } }));
    assert.deepEqual([...workspaceDatabases(root)], ['mysql']);
    assert.equal(mysqlOnly(workspaceDatabases(root)), true);
    fs.writeFileSync(path.join(root, 'worker/requirements.txt'), '# tasks\npsycopg2-binary==2.9.9 ; python_version >= "3.8"\n');
    assert.deepEqual([...workspaceDatabases(root)].sort(), ['mysql', 'postgresql']);
    assert.equal(mysqlOnly(workspaceDatabases(root)), false);
  });

  it('keeps each package.json read with its folder, and the nearest above a file answers for it', () => {
    fs.mkdirSync(path.join(root, 'api'));
    fs.mkdirSync(path.join(root, 'node_modules/lru-cache'), { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ dependencies: { 'lru-cache': '^11.0.0' } }));
    fs.writeFileSync(path.join(root, 'api/package.json'), JSON.stringify({ dependencies: { express: '^4' } }));
    fs.writeFileSync(path.join(root, 'node_modules/lru-cache/package.json'), JSON.stringify({ dependencies: {} }));
    const models = new WorkspaceModels();
    models.packages = workspaceManifests(root).packages;
    assert.deepEqual(models.packages.map((p) => path.relative(root, p.dir)).sort(), ['', 'api']);
    assert.equal(models.dependsOn(path.join(root, 'src/cache.ts'), 'lru-cache'), true);
    assert.equal(models.dependsOn(path.join(root, 'api/src/cache.ts'), 'lru-cache'), false);
    // A dev dependency is not there in a production install.
    fs.writeFileSync(path.join(root, 'api/package.json'), JSON.stringify({ devDependencies: { 'lru-cache': '^11.0.0' } }));
    const dev = new WorkspaceModels();
    dev.packages = workspaceManifests(root).packages;
    assert.equal(dev.dependsOn(path.join(root, 'api/src/cache.ts'), 'lru-cache'), false);
    // `api-gateway` is not inside `api`.
    assert.equal(models.dependsOn(path.join(root, 'api-gateway/cache.ts'), 'lru-cache'), true);
    assert.equal(models.dependsOn(path.join(os.tmpdir(), 'elsewhere.ts'), 'lru-cache'), undefined);
  });

  it('knows nothing from no manifests or broken ones, and never throws', () => {
    fs.writeFileSync(path.join(root, 'package.json'), '{ "dependencies": ');
    assert.deepEqual([...workspaceDatabases(root)], []);
    assert.deepEqual([...workspaceDatabases(path.join(root, 'missing'))], []);
    assert.equal(mysqlOnly(workspaceDatabases(root)), false);
    assert.deepEqual([...workspaceManifests(root).jobQueues], []);
  });

  it('Celery from requirements.txt or pyproject.toml, one folder down too', () => {
    fs.mkdirSync(path.join(root, 'backend'));
    fs.writeFileSync(path.join(root, 'backend/requirements.txt'), 'Django==5.1\ncelery[redis]==5.4.0\n');
    assert.deepEqual([...workspaceManifests(root).jobQueues], ['celery']);
    assert.deepEqual([...workspaceManifests(path.join(root, 'backend')).jobQueues], ['celery']);
    fs.rmSync(path.join(root, 'backend'), { recursive: true });
    fs.writeFileSync(path.join(root, 'pyproject.toml'), '[project]\ndependencies = ["flask>=3", "celery-progress"]\n');
    assert.deepEqual([...workspaceManifests(root).jobQueues], [], 'celery-progress is not celery');
    fs.writeFileSync(path.join(root, 'Pipfile'), '[packages]\ndjango = "*"\ndjango-rq = "*"\n');
    assert.deepEqual([...workspaceManifests(root).jobQueues], ['django-rq']);
  });

  it('reads package names from pyproject dependency strings and Poetry tables', () => {
    assert.deepEqual(manifestDependencies('pyproject.toml', '[project]\ndependencies = ["psycopg[binary]>=3.1", "SQLAlchemy>=2"]\n[tool.poetry.dependencies]\nPyMySQL = "^1.1"\n').filter((d) => /psycopg|sqlalchemy|pymysql/.test(d)), ['psycopg', 'sqlalchemy', 'pymysql']);
  });
});

describe('Drizzle casing (drizzle.config)', () => {
  it('names columns declared without a name the way Drizzle does', () => {
    const snake = (p: string) => casedColumn(p, 'snake_case');
    assert.deepEqual(['authorId', 'createdAt', 'address2', 'apiURL', 'HTMLBody', 'id', 'already_snake'].map(snake), ['author_id', 'created_at', 'address2', 'api_url', 'html_body', 'id', 'already_snake']);
    assert.deepEqual(['author_id', 'created_at_utc', 'id'].map((p) => casedColumn(p, 'camelCase')), ['authorId', 'createdAtUtc', 'id']);
    assert.equal(casedColumn('authorId', undefined), 'authorId');
  });

  it('reads casing from drizzle.config at the root or one folder down', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-casing-'));
    try {
      assert.equal(workspaceManifests(root).drizzleCasing, undefined);
      fs.mkdirSync(path.join(root, 'api'));
      fs.writeFileSync(path.join(root, 'api/drizzle.config.ts'), "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({\n  casing: \"snake_case\",\n  dialect: 'postgresql',\n});\n");
      assert.equal(workspaceManifests(root).drizzleCasing, 'snake_case');
      assert.equal(drizzleCasingIn('{ "casing": "camelCase" }'), 'camelCase');
      assert.equal(drizzleCasingIn("export default {\n  // casing: 'snake_case',\n  /* casing: 'camelCase' */\n  dbCredentials: { url: 'postgres://x' },\n};\n"), undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
