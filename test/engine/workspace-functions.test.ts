import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandAlias, readPathAliases } from '../../server/src/engine/path-aliases';
import { WorkspaceFunctions } from '../../server/src/engine/workspace-functions';
import type { QueryHelperFact } from '../../server/src/languages/facts';

const helper = (name: string): QueryHelperFact => ({ name, chain: [name, 'prisma.user.findUnique'], orm: 'prisma', operation: 'findUnique' });

describe('WorkspaceFunctions', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-functions-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('resolves relative TS imports, ESM .js specifiers and index files', () => {
    const f = new WorkspaceFunctions();
    f.set(path.join(root, 'src/users.ts'), { queryHelpers: [helper('loadUser')] });
    f.set(path.join(root, 'src/orders/index.ts'), { queryHelpers: [helper('loadOrder')] });
    const from = path.join(root, 'src/routes/a.ts');
    assert.equal(f.lookup(from, '../users', 'loadUser')?.name, 'loadUser');
    assert.equal(f.lookup(from, '../users.js', 'loadUser')?.name, 'loadUser');
    assert.equal(f.lookup(from, '../orders', 'loadOrder')?.name, 'loadOrder');
    assert.equal(f.lookup(from, '../users', 'other'), undefined);
    assert.equal(f.lookup(from, 'users', 'loadUser'), undefined, 'a package name is not a workspace file');
  });

  it('resolves Python relative and project-absolute modules', () => {
    const f = new WorkspaceFunctions();
    f.set(path.join(root, 'blog/services.py'), { queryHelpers: [helper('customer_for')] });
    assert.equal(f.lookup(path.join(root, 'blog/views.py'), '.services', 'customer_for')?.name, 'customer_for');
    assert.equal(f.lookup(path.join(root, 'blog/api/views.py'), '..services', 'customer_for')?.name, 'customer_for');
    assert.equal(f.lookup(path.join(root, 'blog/views.py'), 'blog.services', 'customer_for')?.name, 'customer_for');
  });

  it('resolves tsconfig path aliases, reading tsconfig.json with comments', () => {
    fs.writeFileSync(path.join(root, 'tsconfig.json'), '{\n  // aliases\n  "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"], "db": ["src/db/index.ts"] } },\n}\n');
    const aliases = readPathAliases(root);
    assert.deepEqual(expandAlias(aliases, '@/services/users'), [path.join(root, 'src/services/users')]);
    assert.deepEqual(expandAlias(aliases, 'db'), [path.join(root, 'src/db/index.ts')]);
    const f = new WorkspaceFunctions(undefined, aliases);
    f.set(path.join(root, 'src/services/users.ts'), { queryHelpers: [helper('loadUser')] });
    assert.equal(f.lookup(path.join(root, 'src/routes/a.ts'), '@/services/users', 'loadUser')?.name, 'loadUser');
  });

  it('summarises an imported file on first use through the loader', () => {
    const file = path.join(root, 'users.ts');
    fs.writeFileSync(file, '');
    let loads = 0;
    const f = new WorkspaceFunctions(() => {
      loads++;
      return { language: 'typescript', queries: [], sql: [], problems: [], queryHelpers: [helper('loadUser')] };
    });
    const from = path.join(root, 'a.ts');
    assert.equal(f.lookup(from, './users', 'loadUser')?.name, 'loadUser');
    assert.equal(f.lookup(from, './users', 'loadUser')?.name, 'loadUser');
    assert.equal(loads, 1);
  });
});
