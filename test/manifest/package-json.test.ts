/** The extension manifest agrees with the code: every setting documented, licence, activation. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import { ALL_RULES } from '../../server/src/rules';
import { REPO_ROOT } from '../harness/engine';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

function settingKeys(value: object, prefix: string): string[] {
  return Object.entries(value).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && k !== 'rules' ? settingKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('package.json', () => {
  const properties: Record<string, { description?: string; markdownDescription?: string; default?: unknown; properties?: object }> =
    manifest.contributes?.configuration?.properties ?? {};

  it('documents every perflens.* setting with its default', () => {
    for (const key of settingKeys(DEFAULT_SETTINGS, 'perflens.')) {
      const p = properties[key];
      assert.ok(p, `${key} is contributed`);
      assert.ok(p.description || p.markdownDescription, `${key} has a description`);
      const def = key.split('.').slice(1).reduce<any>((o, k) => o[k], DEFAULT_SETTINGS);
      assert.deepEqual(p.default, def, `${key} default`);
    }
  });

  it('lists every rule under perflens.rules', () => {
    const rules = properties['perflens.rules']?.properties ?? {};
    for (const r of ALL_RULES) assert.ok(r.meta.id in rules, r.meta.id);
  });

  it('is GPL-3.0-or-later with a LICENSE file (sql-parser-cst is GPL-2.0-or-later)', () => {
    assert.equal(manifest.license, 'GPL-3.0-or-later');
    assert.match(fs.readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8'), /GNU GENERAL PUBLIC LICENSE\s+Version 3/);
  });

  it('activates for TS, JS (and React variants), Python and SQL', () => {
    for (const lang of ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'sql']) {
      assert.ok(manifest.activationEvents.includes(`onLanguage:${lang}`), lang);
    }
  });

  it('pins every dependency exactly', () => {
    for (const deps of [manifest.dependencies, manifest.devDependencies]) {
      for (const [name, version] of Object.entries(deps as Record<string, string>)) assert.match(version, /^\d+\.\d+\.\d+$/, name);
    }
  });
});
