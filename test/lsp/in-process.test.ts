/**
 * The server in-process with rules made for the test: fix-all applies safe fixes only, stale
 * edits are never offered, and a rule that throws is logged while the others still report.
 */
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { Rule } from '../../server/src/engine/rule';
import { startServer } from '../../server/src/server';

const safeAndUnsafe: Rule = {
  meta: { id: 'test-fixes', description: 'test', defaultSeverity: 'warning', languages: ['sql'], libraries: [], fix: 'safe' },
  detectors: {
    sql: (_facts, { file }) => {
      const out = [];
      for (const m of file.text.matchAll(/SELECT \*/g)) {
        out.push({ start: m.index!, end: m.index! + 8, message: 'select star', fixes: [{ title: 'List the columns', applicability: 'safe' as const, edits: [{ start: m.index! + 7, end: m.index! + 8, newText: 'id' }] }] });
      }
      for (const m of file.text.matchAll(/LIMIT 10/g)) {
        out.push({ start: m.index!, end: m.index! + 8, message: 'limit', fixes: [{ title: 'Change the limit', applicability: 'unsafe' as const, edits: [{ start: m.index! + 6, end: m.index! + 8, newText: '20' }] }] });
      }
      return out;
    },
  },
};

const throwing: Rule = {
  meta: { id: 'test-throws', description: 'test', defaultSeverity: 'error', languages: ['sql'], libraries: [], fix: 'none' },
  detectors: {
    sql: () => {
      throw new Error('kaboom');
    },
  },
};

describe('language server in-process', () => {
  let client: ProtocolConnection;
  const logs: string[] = [];
  const uri = 'file:///ws/q.sql';
  const text = 'SELECT * FROM a LIMIT 10;\nSELECT * FROM b;\n';

  before(async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startServer(connection, { rules: [throwing, safeAndUnsafe] });
    client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.onNotification('window/logMessage', (p: any) => {
      logs.push(p.message);
    });
    client.listen();
    await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { textDocument: { diagnostic: {} } } });
    client.sendNotification('initialized', {});
    client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
  });
  after(() => client.dispose());

  it('isolates a throwing rule: the others report, the log names the rule and the file', async () => {
    const report: any = await client.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    assert.deepEqual(report.items.map((d: any) => d.code), ['test-fixes', 'test-fixes', 'test-fixes']);
    assert.ok(logs.some((l) => /rule test-throws failed on .*q\.sql: kaboom/.test(l)), logs.join('\n'));
  });

  it('fix-all applies every safe fix and no unsafe one', async () => {
    const actions: any[] = await client.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.perflens');
    const edits = actions[0].edit.changes[uri];
    assert.deepEqual(edits.map((e: any) => e.newText), ['id', 'id']);
  });

  it('offers the safe fix as preferred, and no fix at all for a diagnostic of an older version', async () => {
    const report: any = await client.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    const star = report.items[0];
    const current: any[] = await client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: star.range, context: { diagnostics: [star], only: ['quickfix'] } });
    assert.equal(current[0].title, 'List the columns');
    assert.equal(current[0].isPreferred, true);
    client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: `-- edited\n${text}` }] });
    const stale: any[] = await client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: star.range, context: { diagnostics: [star], only: ['quickfix'] } });
    assert.deepEqual(stale.map((a) => a.title), ['Disable test-fixes for this line', 'Show documentation for test-fixes']);
  });
});
