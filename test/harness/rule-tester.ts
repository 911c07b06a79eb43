/**
 * The rule-test harness. Table tests (`ruleTests`) and fixture files (`fixtureTests`) share the same
 * checks: the exact list of findings (never a subset), every fix re-parses with no new syntax errors,
 * keeps the queries it does not replace, no longer triggers the rule, and fixes of one file do not overlap.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../../server/src/engine/analyze';
import { addToFileEdits } from '../../server/src/engine/add-to-file';
import type { AddToFile, Finding, NewMigration } from '../../server/src/engine/finding';
import { REPO_ROOT, applyEdits, applyFix, lintText, testEngine, workspaceFrom, type Workspace } from './engine';
import { renderSnapshot } from './snapshot';

export interface ValidCase {
  name: string;
  file: string;
  code: string;
  /** Why this is not a finding: the trap it guards. */
  why: string;
  /** Other files of the workspace (e.g. models.py) that give cross-file knowledge. */
  workspace?: Record<string, string>;
}

export interface InvalidCase {
  name: string;
  file: string;
  code: string;
  /** Every finding of the rule, in order: 1-based line, and optionally what the message says. */
  findings: Array<{ line: number; message?: RegExp }>;
  /** The whole text after applying the first finding's first fix. */
  output?: string;
  /** The first finding has no fix at all (a rewrite there would break the code). */
  noFix?: boolean;
  /** The other file that fix adds code to (Fix.addToFile), relative like `file`, and its whole text after. */
  otherFile?: { path: string; text: string };
  /** Other files of the workspace (e.g. models.py) that give cross-file knowledge. */
  workspace?: Record<string, string>;
}

function ruleFindings(engine: Engine, ruleId: string, code: string, file: string, models?: Workspace): Finding[] {
  return lintText(engine, code, file, undefined, models).findings.filter((f) => f.ruleId === ruleId);
}

function lineOf(code: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < code.length; i++) if (code.charCodeAt(i) === 10) line++;
  return line;
}

/** Every fix of every finding: parses, keeps the code's queries, removes a finding of the rule. */
export function checkFixes(engine: Engine, ruleId: string, file: string, code: string, findings: readonly Finding[], models?: Workspace): void {
  const before = lintText(engine, code, file, undefined, models);
  const count = findings.length;
  for (const finding of findings) {
    for (const fix of finding.fixes) {
      if (fix.applicability === 'display-only') continue;
      const where = `fix "${fix.title}" of the finding on line ${lineOf(code, finding.start)}`;
      if (fix.newMigration) {
        checkNewMigration(engine, ruleId, file, code, finding, fix.newMigration, models, where);
        continue;
      }
      if (fix.addToFile && fix.edits.length === 0) {
        checkOtherFileOnly(engine, ruleId, file, code, finding, fix.addToFile, models, where);
        continue;
      }
      assert.ok(fix.edits.length > 0, `${where} has no edits`);
      const output = applyFix(code, fix);
      const after = lintText(engine, output, file, undefined, models);
      assert.ok(after.facts, `${where}: the output could not be analysed`);
      assert.ok(
        after.facts!.problems.length <= (before.facts?.problems.length ?? 0),
        `${where}: the output has syntax errors:\n${after.facts!.problems.map((p) => p.message).join('\n')}\n---\n${output}`,
      );
      assert.ok(after.facts!.sql.length >= (before.facts?.sql.length ?? 0), `${where}: the output lost a SQL statement (it no longer parses?)\n---\n${output}`);
      // A query inside text the fix replaces may go (a per-item lookup replaced by eager loading); others must stay.
      const replaced = (before.facts?.queries ?? []).filter((q) => fix.edits.some((e) => e.end > e.start && e.start <= q.start && q.end <= e.end)).length;
      assert.ok(after.facts!.queries.length >= (before.facts?.queries.length ?? 0) - replaced, `${where}: the output lost a query\n---\n${output}`);
      const remaining = after.findings.filter((f) => f.ruleId === ruleId).length;
      assert.ok(remaining < count, `${where}: the output still has ${remaining} ${ruleId} finding(s) (before: ${count})\n---\n${output}`);
    }
  }
  // Fix-all applies the first fix of each finding together: their edits must not overlap.
  const spans = findings.flatMap((f) => (f.fixes[0] ? f.fixes[0].edits : [])).sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    assert.ok(spans[i].start >= spans[i - 1].end, `fixes overlap at offset ${spans[i].start}`);
  }
}

/**
 * A fix that writes a new migration beside the file: the migration parses, and with it in the
 * workspace the finding is gone (the file itself is unchanged).
 */
function checkNewMigration(engine: Engine, ruleId: string, file: string, code: string, finding: Finding, m: NewMigration, models: Workspace | undefined, where: string): void {
  const name = path.posix.join(path.posix.dirname(file), `99990101000000_${m.slug}${m.extension}`);
  const written = lintText(engine, m.text, name);
  assert.ok(written.facts && written.facts.problems.length === 0, `${where}: the new migration has syntax errors:\n${written.facts?.problems.map((p) => p.message).join('\n')}\n---\n${m.text}`);
  const workspace = workspaceFrom(engine, { ...(models?.files ?? {}), [name]: m.text });
  const after = lintText(engine, code, file, undefined, workspace).findings.filter((f) => f.ruleId === ruleId && f.start === finding.start);
  assert.equal(after.length, 0, `${where}: with the new migration the finding is still there\n---\n${m.text}`);
}

/**
 * A fix that changes another file of the workspace only (an index where the model is declared):
 * that file changes and still parses, and with it the finding is gone.
 */
function checkOtherFileOnly(engine: Engine, ruleId: string, file: string, code: string, finding: Finding, add: AddToFile, models: Workspace | undefined, where: string): void {
  const other = path.posix.relative('/project/src', add.path);
  const before = models?.files[other];
  assert.ok(before !== undefined, `${where}: changes ${other}, which is not in the workspace`);
  const after = applyEdits(before, addToFileEdits(add, before));
  assert.notEqual(after, before, `${where}: changes nothing in ${other}`);
  const parsed = lintText(engine, after, other);
  assert.deepEqual(parsed.facts?.problems ?? [], [], `${where}: ${other} does not parse after it:\n${after}`);
  const workspace = workspaceFrom(engine, { ...models!.files, [other]: after });
  const left = lintText(engine, code, file, undefined, workspace).findings.filter((f) => f.ruleId === ruleId && f.start === finding.start);
  assert.equal(left.length, 0, `${where}: with ${other} changed the finding is still there\n---\n${after}`);
}

export function ruleTests(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(`${ruleId}`, () => {
    let engine: Engine;
    before(async () => {
      engine = await testEngine();
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        assert.ok(c.why.length > 0, 'a valid case says why it is valid');
        const found = ruleFindings(engine, ruleId, c.code, c.file, c.workspace && workspaceFrom(engine, c.workspace));
        assert.deepEqual(
          found.map((f) => `${lineOf(c.code, f.start)}: ${f.message}`),
          [],
          `expected no ${ruleId} finding (${c.why})`,
        );
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const models = c.workspace && workspaceFrom(engine, c.workspace);
        const found = ruleFindings(engine, ruleId, c.code, c.file, models);
        assert.deepEqual(
          found.map((f) => lineOf(c.code, f.start)),
          c.findings.map((f) => f.line),
          `findings: ${found.map((f) => `${lineOf(c.code, f.start)}: ${f.message}`).join('\n')}`,
        );
        c.findings.forEach((expected, i) => {
          if (expected.message) assert.match(found[i].message, expected.message);
        });
        checkFixes(engine, ruleId, c.file, c.code, found, models);
        if (c.noFix) assert.deepEqual(found[0]?.fixes.map((f) => f.title), [], 'expected no fix');
        if (c.output !== undefined) {
          assert.ok(found[0]?.fixes[0], 'expected a fix');
          assert.equal(applyFix(c.code, found[0].fixes[0]), c.output);
        }
        const add = found[0]?.fixes[0]?.addToFile;
        if (c.otherFile) {
          assert.ok(add, 'expected a fix that adds to another file');
          assert.equal(add.path, path.posix.join('/project/src', c.otherFile.path));
          const before = c.workspace?.[c.otherFile.path] ?? '';
          const after = applyEdits(before, addToFileEdits(add, before));
          assert.equal(after, c.otherFile.text);
          const parsed = lintText(engine, after, c.otherFile.path);
          assert.deepEqual(parsed.facts?.problems ?? [], [], `${c.otherFile.path} does not parse:\n${after}`);
        } else assert.equal(add, undefined, `the fix adds to ${add?.path}: say what (otherFile)`);
      });
    }
  });
}

const EXPECT = /(?:\/\/|#|--)\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/g;

/** 1-based lines that carry an `expect: <ruleId>` marker. */
function expectedLines(code: string, ruleId: string): number[] {
  const lines: number[] = [];
  for (const m of code.matchAll(EXPECT)) {
    const ids = m[1].split(',').map((s) => s.trim());
    for (const id of ids) if (id === ruleId) lines.push(lineOf(code, m.index!));
  }
  return lines;
}

/**
 * Every fixture file in `dir` (relative to the repository root) of a language the rule supports:
 * findings exactly on the marked lines, fixes checked, and a snapshot `<file>.snap` of rendered
 * findings and fix diffs (written when missing or with UPDATE_SNAPSHOTS=1).
 */
export function fixtureTests(ruleId: string, dir: string, only?: (file: string) => boolean): void {
  const abs = path.join(REPO_ROOT, dir);
  const files = fs.readdirSync(abs).filter((f) => !f.endsWith('.snap') && !f.startsWith('.') && (!only || only(f))).sort();
  describe(`${ruleId} fixtures (${dir})`, () => {
    let engine: Engine;
    before(async () => {
      engine = await testEngine();
    });
    for (const name of files) {
      it(name, () => {
        const code = fs.readFileSync(path.join(abs, name), 'utf8');
        const found = ruleFindings(engine, ruleId, code, name);
        assert.deepEqual(
          found.map((f) => lineOf(code, f.start)),
          expectedLines(code, ruleId),
          `findings:\n${found.map((f) => `${lineOf(code, f.start)}: ${f.message}`).join('\n')}`,
        );
        checkFixes(engine, ruleId, name, code, found);
        const snapshot = renderSnapshot(code, found);
        const snapFile = path.join(abs, `${name}.snap`);
        if (process.env.UPDATE_SNAPSHOTS || !fs.existsSync(snapFile)) fs.writeFileSync(snapFile, snapshot);
        else assert.equal(snapshot, fs.readFileSync(snapFile, 'utf8'), `snapshot ${snapFile} differs (UPDATE_SNAPSHOTS=1 to accept)`);
      });
    }
  });
}
