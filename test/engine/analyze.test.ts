import * as assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { mergeSettings } from '../../server/src/engine/config';
import type { Rule } from '../../server/src/engine/rule';
import { SourceFile } from '../../server/src/engine/source-file';
import type { LanguageAdapter } from '../../server/src/languages/adapter';
import type { FileFacts } from '../../server/src/languages/facts';
import { guarded } from '../../server/src/languages/guard';

const facts: FileFacts = { language: 'typescript', queries: [], sql: [], problems: [] };
const adapter: LanguageAdapter = { language: 'typescript', init: async () => {}, facts: () => facts };

function rule(id: string, detect: () => ReturnType<NonNullable<Rule['detectors']['typescript']>>): Rule {
  return {
    meta: { id, description: id, defaultSeverity: 'warning', languages: ['typescript'], libraries: [], fix: 'none' },
    detectors: { typescript: detect },
  };
}

const found = rule('found', () => [{ start: 0, end: 1, message: 'found it', fixes: [] }]);
const broken = rule('broken', () => {
  throw new Error('boom');
});

describe('Engine', () => {
  it('isolates a rule that throws: logged with rule id, file and reason; the others still report', async () => {
    const logs: string[] = [];
    const engine = new Engine([broken, found], { typescript: adapter }, (m) => logs.push(m));
    await engine.init();
    const result = engine.analyze(new SourceFile('/w/src/a.ts', 'typescript', 'x'), mergeSettings());
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['found']);
    assert.match(logs.join('\n'), /rule broken failed on \/w\/src\/a\.ts: boom/);
  });

  it('an adapter that throws gives no findings and a logged reason, never an exception', async () => {
    const logs: string[] = [];
    const failing: LanguageAdapter = { ...adapter, facts: () => { throw new Error('bad bytes'); } };
    const engine = new Engine([found], { typescript: failing }, (m) => logs.push(m));
    assert.deepEqual(engine.analyze(new SourceFile('/w/a.ts', 'typescript', 'x'), mergeSettings()).findings, []);
    assert.match(logs[0], /\/w\/a\.ts: could not analyse \(bad bytes\)/);
  });

  it('a fact builder that throws costs its own facts only: the others stand, the failure is logged', async () => {
    const logs: string[] = [];
    const partial: FileFacts = { language: 'typescript', queries: [], sql: [], problems: [] };
    const caches = guarded(partial, 'caches', () => { throw new Error('odd shape'); }, [] as unknown[]);
    assert.deepEqual(caches, []);
    assert.equal(guarded(partial, 'handlers', () => 3, 0), 3);
    const engine = new Engine([found], { typescript: { ...adapter, facts: () => partial } }, (m) => logs.push(m));
    assert.deepEqual(engine.analyze(new SourceFile('/w/a.ts', 'typescript', 'x'), mergeSettings()).findings.map((f) => f.ruleId), ['found']);
    assert.match(logs.join('\n'), /\/w\/a\.ts: caches: odd shape; the file's other facts stand/);
  });

  it('an adapter that fails to load is skipped, not fatal', async () => {
    const logs: string[] = [];
    const engine = new Engine([found], { typescript: { ...adapter, init: async () => { throw new Error('no wasm'); } } }, (m) => logs.push(m));
    await engine.init();
    assert.deepEqual(engine.analyze(new SourceFile('/w/a.ts', 'typescript', 'x'), mergeSettings()).findings, []);
    assert.match(logs[0], /typescript adapter failed to load: no wasm/);
  });

  it('applies severity overrides, off, and --rule filtering', () => {
    const engine = new Engine([found], { typescript: adapter }, () => {});
    const file = new SourceFile('/w/src/a.ts', 'typescript', 'x');
    assert.equal(engine.analyze(file, mergeSettings({ rules: { found: 'error' } })).findings[0].severity, 'error');
    assert.equal(engine.analyze(file, mergeSettings({ rules: { found: 'off' } })).findings.length, 0);
    assert.equal(engine.analyze(file, mergeSettings(), { only: new Set(['other']) }).findings.length, 0);
    assert.equal(engine.analyze(file, mergeSettings({ enable: false })).findings.length, 0);
  });

  it('lowers findings in tests, migrations and seeds to the non-request-path severity', () => {
    const engine = new Engine([found], { typescript: adapter }, () => {});
    const file = new SourceFile('/w/prisma/seed.ts', 'typescript', 'x');
    assert.equal(engine.analyze(file, mergeSettings()).findings[0].severity, 'hint');
    assert.equal(engine.analyze(file, mergeSettings({ nonRequestPathSeverity: 'off' })).findings.length, 0);
  });

  it('lowers them in scripts: a bin/ folder, and a file that starts with a shebang wherever it is', () => {
    const engine = new Engine([found], { typescript: adapter }, () => {});
    assert.equal(engine.analyze(new SourceFile('/w/bin/backfill.ts', 'typescript', 'x'), mergeSettings()).findings[0].severity, 'hint');
    assert.equal(engine.analyze(new SourceFile('/w/src/backfill.ts', 'typescript', '#!/usr/bin/env node\nx'), mergeSettings()).findings[0].severity, 'hint');
    assert.equal(engine.analyze(new SourceFile('/w/src/routes.ts', 'typescript', 'x'), mergeSettings()).findings[0].severity, found.meta.defaultSeverity);
    // A folder whose name only contains "bin" is no bin/.
    assert.equal(engine.analyze(new SourceFile('/w/src/binary/routes.ts', 'typescript', 'x'), mergeSettings()).findings[0].severity, found.meta.defaultSeverity);
  });

  it('a schema rule keeps its severity in migrations, where schemas are written', () => {
    const schemaRule: Rule = { ...found, meta: { ...found.meta, schema: true } };
    const engine = new Engine([schemaRule], { typescript: adapter }, () => {});
    const file = new SourceFile('/w/migrations/001_init.ts', 'typescript', 'x');
    assert.equal(engine.analyze(file, mergeSettings()).findings[0].severity, found.meta.defaultSeverity);
    assert.equal(engine.analyze(file, mergeSettings({ nonRequestPathSeverity: 'off' })).findings.length, 1);
  });
});
