import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, type PerflensSettings, type RuleSeverity } from '../protocol';
import { globToRegExp } from './glob';

export const CONFIG_FILE = '.perflens.json';

/** Reads `.perflens.json` at the root; a broken file is reported and ignored, never fatal. */
export function readConfigFile(root: string, log: (m: string) => void = () => {}): Partial<PerflensSettings> {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Partial<PerflensSettings>;
    log(`${file}: expected a JSON object; ignored`);
  } catch (e) {
    log(`${file}: ${(e as Error).message}; ignored`);
  }
  return {};
}

/** Later layers win; `rules` and `database` merge key by key. */
export function mergeSettings(...layers: Array<Partial<PerflensSettings> | undefined>): PerflensSettings {
  const out: PerflensSettings = { ...DEFAULT_SETTINGS, rules: {}, database: { ...DEFAULT_SETTINGS.database } };
  for (const layer of layers) {
    if (!layer) continue;
    if (typeof layer.enable === 'boolean') out.enable = layer.enable;
    if (layer.rules && typeof layer.rules === 'object') Object.assign(out.rules, layer.rules);
    if (Array.isArray(layer.include)) out.include = layer.include.filter((g) => typeof g === 'string');
    if (Array.isArray(layer.exclude)) out.exclude = layer.exclude.filter((g) => typeof g === 'string');
    if (typeof layer.nonRequestPathSeverity === 'string') out.nonRequestPathSeverity = layer.nonRequestPathSeverity;
    if (typeof layer.codeLens === 'boolean') out.codeLens = layer.codeLens;
    if (Array.isArray(layer.smallTables)) out.smallTables = layer.smallTables.filter((t) => typeof t === 'string');
    if (layer.database && typeof layer.database === 'object') mergeDatabase(out.database, layer.database);
  }
  return out;
}

/**
 * The database settings of a layer over `out`, each only when it has the right type: a number
 * that is not one (`"dataSize": "big"` in .perflens.json) would reach the database code as NaN.
 * Counts are whole and at least 1.
 */
function mergeDatabase(out: PerflensSettings['database'], layer: Partial<PerflensSettings['database']>): void {
  for (const [key, value] of Object.entries(layer) as Array<[keyof PerflensSettings['database'], unknown]>) {
    if (!(key in DEFAULT_SETTINGS.database)) continue;
    if (key === 'url') {
      if (typeof value === 'string') out.url = value;
    } else if (typeof value === 'number' && Number.isFinite(value) && value >= 1) out[key] = Math.floor(value);
  }
}

/** Decides which files are analysed, from include/exclude globs relative to the root. */
export class FileFilter {
  private readonly include: RegExp[];
  private readonly exclude: RegExp[];

  constructor(readonly root: string, settings: Pick<PerflensSettings, 'include' | 'exclude'>) {
    this.include = settings.include.map(globToRegExp);
    this.exclude = settings.exclude.map(globToRegExp);
  }

  accepts(file: string): boolean {
    if (this.include.length === 0 && this.exclude.length === 0) return true;
    return this.acceptsRelative(path.relative(this.root, file).split(path.sep).join('/'));
  }

  /** The same for a path already relative to the root, '/'-separated. */
  acceptsRelative(rel: string): boolean {
    if (this.exclude.some((r) => r.test(rel))) return false;
    return this.include.length === 0 || this.include.some((r) => r.test(rel));
  }
}

/**
 * Files that are not request paths: tests, migrations (Alembic's; TypeORM's `migration/`; Medusa's
 * `migration-scripts/`; Rails-style `db/migrate/`), seeds (Sequelize's `seeders/`), fixtures, scripts and
 * command-line tools.
 */
const NON_REQUEST_PATH = /(^|\/)(tests?|__tests__|spec|migrations?|migration[-_]scripts|migrate|alembic|seeds?|seeders|fixtures|scripts|management|bin)(\/|$)|(\.|_)(test|spec)\.[a-z]+$|(^|\/)test_[^/]+\.py$|(^|\/)(seed|conftest|tests?)\.[a-z]+$/;

/**
 * `text`, when given: a file that starts with a shebang (`#!/usr/bin/env node`, `#!/usr/bin/env
 * python3`) is a program run from a shell, wherever it lives: a script, not a request path.
 */
export function isNonRequestPath(file: string, text?: string): boolean {
  return NON_REQUEST_PATH.test(file.split(path.sep).join('/')) || (text !== undefined && text.startsWith('#!'));
}

export function severityFor(settings: PerflensSettings, ruleId: string, fallback: RuleSeverity): RuleSeverity {
  return settings.rules[ruleId] ?? fallback;
}
