/**
 * The TypeScript adapter re-parses a file it has seen with `ts.updateSourceFile`, which re-uses the
 * unchanged nodes: the facts must be those of a fresh parse, edit after edit, broken text included.
 */
import * as assert from 'node:assert/strict';
import ts from 'typescript';
import { SourceFile } from '../../../server/src/engine/source-file';
import { TypescriptAdapter, type TsFacts } from '../../../server/src/languages/typescript/adapter';
import { PRISMA_HANDLER } from '../../harness/samples';

const SERVICE = `import { prisma } from './db';
import express from 'express';

const app = express();
const cache = new Map<string, unknown>();

export async function authorsOf(ids: number[]) {
  const out = [];
  for (const id of ids) {
    out.push(await prisma.user.findUnique({ where: { id } }));
  }
  return out;
}

app.get('/posts', async (req, res) => {
  const page = Number(req.query.page ?? 1);
  cache.set(String(req.query.q), page);
  res.json(await prisma.post.findMany({ skip: (page - 1) * 20, take: 20 }));
});
`;

/** What the rules read, without the nodes (their identity differs between two parses). */
function strip(facts: TsFacts): string {
  return JSON.stringify(facts, (key, value) => {
    if (value && typeof value === 'object' && typeof (value as ts.Node).kind === 'number' && 'pos' in value && 'end' in value) {
      const n = value as ts.Node;
      return `${ts.SyntaxKind[n.kind]}@${n.pos}-${n.end}`;
    }
    return key === 'sourceFile' ? undefined : value;
  });
}

describe('TypeScript adapter: incremental parsing', () => {
  it('re-parses to the same facts as a fresh parse, edit after edit (broken text and a rewrite included)', () => {
    const adapter = new TypescriptAdapter();
    const fresh = new TypescriptAdapter();
    const edits: Array<(t: string) => string> = [
      (t) => t.replace('take: 20', 'take: 50'),
      (t) => t.replace('// x', '') + '\n// typed at the end\n',
      (t) => `// a comment é😀 at the top\n${t}`,
      (t) => t.replace('for (const id of ids) {', 'for (const id of ids) {\n    await prisma.post.count();'),
      (t) => t.replace('res.json(', 'res.json(('),
      (t) => t.replace('res.json((', 'res.json('),
      (t) => t.slice(0, t.length / 2),
      () => PRISMA_HANDLER,
      () => '',
      () => SERVICE,
    ];
    let text = SERVICE;
    adapter.facts(new SourceFile('/p/service.ts', 'typescript', text));
    edits.forEach((edit, i) => {
      text = edit(text);
      const incremental = adapter.facts(new SourceFile('/p/service.ts', 'typescript', text));
      assert.equal(incremental.sourceFile?.text, text);
      assert.equal(strip(incremental), strip(fresh.facts(new SourceFile(`/p/fresh-${i}.ts`, 'typescript', text))), `after edit ${i + 1}`);
      fresh.forget(`/p/fresh-${i}.ts`);
    });
  });

  it('the same text twice is the same tree; forget drops it', () => {
    const adapter = new TypescriptAdapter();
    const a = adapter.facts(new SourceFile('/p/a.ts', 'typescript', SERVICE));
    const b = adapter.facts(new SourceFile('/p/a.ts', 'typescript', SERVICE));
    assert.equal(a.sourceFile, b.sourceFile);
    adapter.forget('/p/a.ts');
    const c = adapter.facts(new SourceFile('/p/a.ts', 'typescript', SERVICE));
    assert.notEqual(c.sourceFile, a.sourceFile);
    assert.equal(strip(c), strip(a));
  });

  it('keeps the nesting guard through edits: brackets typed in or deleted bring a file past it, and back', () => {
    const adapter = new TypescriptAdapter();
    const at = (text: string) => adapter.facts(new SourceFile('/p/deep.ts', 'typescript', text));
    assert.equal(at(SERVICE).skipped, undefined);
    // Typed in, a bracket at a time in the same spot (each edit adds to the bound, not to the real depth).
    let text = SERVICE;
    for (let i = 0; i < 5; i++) assert.equal(at((text = text.replace('const out = [];', `const out = [${'()'.repeat(i)}];`))).skipped, undefined);
    const deep = '('.repeat(1500) + ')'.repeat(1500);
    assert.match(at(text.replace('const out = [', `const out = [${deep}, `)).skipped ?? '', /^brackets nested 150\d deep$/);
    // Closing brackets deleted: what follows is nested deeper (brackets in comments count too).
    const twice = `${SERVICE}// ${'('.repeat(600)}${')'.repeat(600)}${'('.repeat(600)}${')'.repeat(600)}\n`;
    assert.equal(at(twice).skipped, undefined);
    assert.equal(at(twice.replace(')'.repeat(600), '')).skipped, 'brackets nested 1200 deep');
    assert.equal(at(SERVICE).skipped, undefined);
    assert.equal(strip(at(SERVICE)), strip(new TypescriptAdapter().facts(new SourceFile('/p/other.ts', 'typescript', SERVICE))));
  });
});
