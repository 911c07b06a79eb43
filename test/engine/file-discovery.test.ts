import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileFilter } from '../../server/src/engine/config';
import { discoverFiles, discoverFilesSync } from '../../server/src/engine/file-discovery';

describe('discoverFiles', () => {
  let root: string;
  const write = (rel: string, text = '') => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const list = async (filter?: FileFilter) => {
    const out: string[] = [];
    for await (const f of discoverFiles(root, { filter })) out.push(f);
    // The CLI's synchronous walk finds the same files in the same order.
    assert.deepEqual(discoverFilesSync(root, { filter }), out);
    return out.map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-discovery-'));
    write('src/app.ts');
    write('src/types.d.ts');
    write('src/vendor.min.js');
    write('src/readme.md');
    write('node_modules/prisma/index.js');
    write('dist/app.js');
    write('myenv/pyvenv.cfg');
    write('myenv/lib/site.py');
    write('app/views.py');
    write('db/schema.sql');
    write('generated/client.ts');
    write('pkg/.gitignore', 'local.ts\n!keep.ts\n');
    write('pkg/local.ts');
    write('pkg/keep.ts');
    write('pkg/other.ts');
    write('.gitignore', 'generated/\n*.local.py\n');
    write('app/settings.local.py');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds supported files, honouring nested .gitignore files and skipping dependencies, virtualenvs and build output', async () => {
    assert.deepEqual(await list(), ['app/views.py', 'db/schema.sql', 'pkg/keep.ts', 'pkg/other.ts', 'src/app.ts']);
  });

  it('applies include and exclude globs', async () => {
    assert.deepEqual(await list(new FileFilter(root, { include: ['src/**', 'app/**'], exclude: ['**/*.py'] })), ['src/app.ts']);
  });

  it('stops when cancelled', async () => {
    const out: string[] = [];
    for await (const f of discoverFiles(root, { isCancelled: () => out.length > 0 })) out.push(f);
    assert.equal(out.length, 1);
    assert.equal(discoverFilesSync(root, { isCancelled: () => true }).length, 0);
  });

  it('reports a folder it cannot read and goes on', async () => {
    const errors: string[] = [];
    assert.deepEqual(discoverFilesSync(path.join(root, 'gone'), { onError: (dir) => errors.push(path.relative(root, dir)) }), []);
    assert.deepEqual(errors, ['gone']);
  });
});
