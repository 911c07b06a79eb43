/** The text report in-process: lintFiles over a temporary workspace, then formatText and its excerpts. */
import * as assert from 'node:assert/strict';
import { excerptLines } from '../../server/src/cli/code-excerpt';
import { detectStyle, formatText } from '../../server/src/cli/format-text';
import { lintFiles } from '../../server/src/cli/lint-files';
import { SourceFile } from '../../server/src/engine/source-file';
import { TempWorkspace } from './run-cli';

const tty = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe('CLI text output', () => {
  const ws = new TempWorkspace();
  beforeEach(() => ws.create());
  afterEach(() => ws.remove());

  it('marks a range over several lines on each of its lines', async () => {
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET\n  $1 * 20;\n');
    const results = await lintFiles(ws.root, [], { log: () => undefined });
    assert.equal(results.files.length, 1);
    const text = formatText(results, { color: false });
    assert.match(text, /^q\.sql:1:43  warning  .*\[offset-pagination\]$/m);
    assert.match(text, /  1 \| SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET\n    \| {43}\^{6}\n  2 \|   \$1 \* 20;\n    \|   \^{7}\n/);
    assert.match(text, /1 problem \(0 errors, 1 warning\) in 1 file \(1 file checked\); 1 with --fix --unsafe-fixes\.\n$/);
  });

  it('paints severity, location and marks only with colour on', async () => {
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    const results = await lintFiles(ws.root, [], { log: () => undefined });
    const coloured = formatText(results, { color: true });
    assert.match(coloured, /\x1b\[1mq\.sql:1:43\x1b\[0m  \x1b\[33mwarning\x1b\[0m/);
    assert.match(coloured, /\x1b\[33m\^{9}\x1b\[0m/);
    assert.doesNotMatch(formatText(results, { color: false }), /\x1b\[/);
  });

  it('counts hints (findings in scripts, tests, migrations) apart from info', async () => {
    ws.write('scripts/backfill.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20 OFFSET $1;\n');
    const text = formatText(await lintFiles(ws.root, [], { log: () => undefined }), { color: false });
    assert.match(text, /^scripts\/backfill\.sql:1:43  hint  /m);
    assert.match(text, /2 problems \(0 errors, 1 warning, 1 hint\) in 2 files/);
  });

  it('says so when there is nothing to report', async () => {
    ws.write('q.sql', 'SELECT id FROM posts ORDER BY id LIMIT 20;\n');
    assert.equal(formatText(await lintFiles(ws.root, [], { log: () => undefined }), { color: false }), 'No problems in 1 file.\n');
  });

  it('chooses colour from the terminal, NO_COLOR and FORCE_COLOR', () => {
    assert.deepEqual(detectStyle(tty, {}), { color: true });
    assert.deepEqual(detectStyle(pipe, {}), { color: false });
    assert.deepEqual(detectStyle(tty, { NO_COLOR: '1' }), { color: false });
    assert.deepEqual(detectStyle(pipe, { FORCE_COLOR: '1' }), { color: true });
    assert.deepEqual(detectStyle(tty, { FORCE_COLOR: '0' }), { color: false });
    assert.deepEqual(detectStyle(pipe, { NO_COLOR: '', FORCE_COLOR: '' }), { color: false });
  });
});

describe('code excerpts', () => {
  const sql = (text: string) => new SourceFile('/w/q.sql', 'sql', text);

  it('leaves out the middle of a long range and marks from the indentation', () => {
    const text = 'OFFSET (\n  $1\n  *\n  20\n);\n';
    const lines = excerptLines(sql(text), 0, text.indexOf(';'));
    assert.deepEqual(lines, [
      { number: 1, text: 'OFFSET (', from: 0, to: 8 },
      { number: 2, text: '  $1', from: 2, to: 4 },
      null,
      { number: 5, text: ');', from: 0, to: 1 },
    ]);
  });

  it('does not mark the line after a range that ends with a line break', () => {
    const text = 'LIMIT 20\nOFFSET $1;\n';
    assert.deepEqual(excerptLines(sql(text), 0, text.indexOf('\n') + 1), [{ number: 1, text: 'LIMIT 20', from: 0, to: 8 }]);
  });

  it('shows a window of a very long line around the range', () => {
    const head = 'SELECT ' + 'x, '.repeat(200) + 'y FROM t ORDER BY id ';
    const text = head + 'OFFSET $1;';
    const [line] = excerptLines(sql(text), head.length, head.length + 'OFFSET $1'.length);
    assert.ok(line);
    assert.ok(line.text.length <= 142, String(line.text.length));
    assert.ok(line.text.startsWith('…'));
    assert.equal(line.text.slice(line.from, line.to), 'OFFSET $1');
  });

  it('marks an empty range with one caret and counts a tab as one column', () => {
    const [line] = excerptLines(sql('\tLIMIT 1'), 1, 1);
    assert.deepEqual(line, { number: 1, text: ' LIMIT 1', from: 1, to: 2 });
  });
});
