import * as assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { mergeSettings } from '../../server/src/engine/config';
import { SourceFile } from '../../server/src/engine/source-file';
import { createAdapters } from '../../server/src/languages';
import type { LanguageId } from '../../server/src/languages/facts';
import { ALL_RULES } from '../../server/src/rules';
import { WARM_UP_EDITS, warmUp, warmUpChange, warmUpSamples } from '../../server/src/warm-up';

/** The parse state an adapter keeps per path (its private `trees`). */
function keptTrees(engine: Engine, language: LanguageId): number {
  return (engine.adapter(language) as unknown as { trees: Map<string, unknown> }).trees.size;
}

describe('start-up warm-up', function () {
  this.timeout(60_000);
  let engine: Engine;
  const logs: string[] = [];

  before(async () => {
    engine = new Engine(ALL_RULES, createAdapters(), (m) => logs.push(m));
    await engine.init();
  });

  it('lints each sample and its edits, then forgets them: no parse state is left, nothing is logged', async () => {
    let idles = 0;
    const report = await warmUp(engine, {
      idle: async () => {
        idles++;
      },
    });
    const samples = warmUpSamples();
    assert.equal(report.cancelled, false);
    assert.deepEqual(report.languages, ['python', 'typescript']);
    assert.equal(report.analyses, samples.length * (1 + WARM_UP_EDITS));
    assert.equal(idles, report.analyses, 'each step waits for the editor to be idle');
    assert.equal(keptTrees(engine, 'python'), 0);
    assert.equal(keptTrees(engine, 'typescript'), 0);
    assert.deepEqual(logs, [], 'the samples parse and every rule runs on them without a logged failure');
  });

  it('warms up only the languages asked for', async () => {
    const report = await warmUp(engine, { languages: new Set(['python']) });
    assert.deepEqual(report.languages, ['python']);
    assert.equal(report.analyses, 1 + WARM_UP_EDITS);
  });

  it('stops between two steps when cancelled, and still forgets the sample', async () => {
    let steps = 0;
    const report = await warmUp(engine, { idle: async () => void steps++, cancelled: () => steps > 3 });
    assert.equal(report.cancelled, true);
    assert.equal(report.analyses, 3);
    assert.equal(keptTrees(engine, 'python'), 0);
  });

  it('has samples with the patterns of every rule family, in each language (so they exercise the detectors)', () => {
    for (const sample of warmUpSamples()) {
      const { findings } = engine.analyze(new SourceFile(`/project/src/orders.${sample.language === 'python' ? 'py' : 'ts'}`, sample.language, sample.text), mergeSettings());
      const rules = new Set(findings.map((f) => f.ruleId));
      for (const id of ['n-plus-one', 'unbounded-cache', 'blocking-call-in-handler', 'offset-pagination']) {
        assert.ok(rules.has(id), `${sample.language} sample: no ${id} finding (found ${[...rules].join(', ')})`);
      }
    }
  });

  it('undoes each change it types: the text after an even number of edits is the sample', () => {
    for (const sample of warmUpSamples()) {
      for (let n = 0; n < WARM_UP_EDITS / 2; n++) {
        const change = warmUpChange(sample.text, sample.comment, n);
        const typed = sample.text.slice(0, change.start) + change.insert + sample.text.slice(change.start);
        assert.notEqual(typed, sample.text);
        assert.equal(typed.slice(0, change.start) + typed.slice(change.start + change.insert.length), sample.text);
      }
      const kinds = new Set(Array.from({ length: 4 }, (_, n) => warmUpChange(sample.text, sample.comment, n).insert.endsWith('\n')));
      assert.deepEqual([...kinds].sort(), [false, true], 'both comment lines and letters typed mid-line');
    }
  });
});
