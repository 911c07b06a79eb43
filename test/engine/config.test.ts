import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileFilter, isNonRequestPath, mergeSettings, readConfigFile } from '../../server/src/engine/config';

describe('configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads .perflens.json and merges it over the defaults, rules key by key', () => {
    fs.writeFileSync(path.join(dir, '.perflens.json'), JSON.stringify({ rules: { 'offset-pagination': 'error' }, exclude: ['legacy/**'] }));
    const s = mergeSettings(readConfigFile(dir), { rules: { 'n-plus-one': 'off' } });
    assert.deepEqual(s.rules, { 'offset-pagination': 'error', 'n-plus-one': 'off' });
    assert.deepEqual(s.exclude, ['legacy/**']);
    assert.equal(s.enable, true);
    assert.equal(s.database.dataSize, 100_000);
  });

  it('ignores a broken .perflens.json with a logged reason', () => {
    fs.writeFileSync(path.join(dir, '.perflens.json'), '{ "rules": ');
    const logs: string[] = [];
    assert.deepEqual(readConfigFile(dir, (m) => logs.push(m)), {});
    assert.match(logs[0], /\.perflens\.json: .*ignored/);
  });

  it('ignores values of the wrong type', () => {
    const s = mergeSettings({ include: 'src' as unknown as string[], enable: 'yes' as unknown as boolean });
    assert.deepEqual(s.include, []);
    assert.equal(s.enable, true);
  });

  it('database settings: counts only when they are numbers from 1 (whole), the URL only when a string, unknown keys dropped', () => {
    const layer = { url: 42, dataSize: 'big', statementTimeoutMs: 2500.7, benchmarkRuns: 0, benchmarkConcurrency: 4, password: 'x' } as unknown as Partial<ReturnType<typeof mergeSettings>['database']>;
    const s = mergeSettings({ database: { url: 'postgres://db/app' } as ReturnType<typeof mergeSettings>['database'] }, { database: layer as ReturnType<typeof mergeSettings>['database'] });
    assert.deepEqual(s.database, { url: 'postgres://db/app', dataSize: 100_000, statementTimeoutMs: 2500, benchmarkRuns: 50, benchmarkConcurrency: 4 });
  });

  it('filters files by include and exclude globs relative to the root', () => {
    const f = new FileFilter(dir, { include: ['src/**'], exclude: ['src/generated/**'] });
    assert.equal(f.accepts(path.join(dir, 'src/a.ts')), true);
    assert.equal(f.accepts(path.join(dir, 'src/generated/a.ts')), false);
    assert.equal(f.accepts(path.join(dir, 'lib/a.ts')), false);
  });

  it('knows tests, migrations and seeds are not request paths', () => {
    for (const p of ['/p/tests/test_views.py', '/p/app/management/commands/backfill.py', '/p/app/migrations/0001_initial.py', '/p/prisma/seed.ts', '/p/src/a.test.ts', '/p/src/__tests__/a.ts', '/p/blog/test_models.py', '/p/blog/tests.py', '/p/conftest.py', '/p/app/alembic/versions/7b254d88f122_members.py', '/p/src/migration/1700000000000-AddIndex.ts', '/p/src/migration-scripts/normalize.js', '/p/db/migrate/20240101_backfill.js', '/p/seeders/20240101-demo-user.js']) {
      assert.equal(isNonRequestPath(p), true, p);
    }
    for (const p of ['/p/src/routes/posts.ts', '/p/blog/views.py', '/p/contest/views.py', '/p/src/latest.ts', '/p/blog/contests.py', '/p/blog/latests.py', '/p/src/migrations-api/routes.ts', '/p/src/migrator.ts']) {
      assert.equal(isNonRequestPath(p), false, p);
    }
  });
});
