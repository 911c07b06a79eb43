/**
 * Functions across the workspace that issue queries, by file, and the resolution of an import
 * (`./users`, `.services`, `blog.services`) to the file that defines them. The CLI passes a loader
 * so that a file imported by the one being linted is summarised on first use; the editor fills the
 * registry from its workspace index.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EffectHelperFact, FileFacts, QueryHelperFact, RouteFact, SerializerFact } from '../languages/facts';
import { expandAlias, type PathAlias } from './path-aliases';

/** What a file shows the others: its query and effect helpers, its routes, its serializers. */
export type SharedFacts = Pick<FileFacts, 'queryHelpers' | 'effectHelpers' | 'routes' | 'serializers' | 'djangoSettings'>;

/** Where Django projects keep their settings: `settings.py`, or the modules of a `settings/` package (not a test's `settings_test.py`). */
const SETTINGS_MODULE = /(^|[\\/])settings(\.py|[\\/][^\\/]+\.py)$/;

export class WorkspaceFunctions {
  private readonly byFile = new Map<string, Map<string, QueryHelperFact>>();
  private readonly effectsByFile = new Map<string, Map<string, EffectHelperFact[]>>();
  /** Django urls.py files and the function views they route to. */
  private readonly routesByFile = new Map<string, readonly RouteFact[]>();
  /** DRF serializers by file and name. */
  private readonly serializersByFile = new Map<string, Map<string, SerializerFact>>();
  /** Django settings modules, and whether DRF pages list views by default in them. */
  private readonly settingsByFile = new Map<string, NonNullable<FileFacts['djangoSettings']>>();
  private readonly tried = new Set<string>();
  /** Files looked at since `track` (found or not): what a file's findings depend on. */
  private consulted?: Set<string>;

  constructor(
    private readonly load?: (file: string) => FileFacts | undefined,
    /** tsconfig `paths` of the workspace, for aliased imports (`@/services/users`). */
    public aliases: readonly PathAlias[] = [],
  ) {}

  /** What `file` shows the others (its facts, or its index entry): replaces what was known of it. */
  set(file: string, shown: SharedFacts): void {
    this.forgetFile(file);
    this.keep(file, shown);
    this.tried.add(file);
  }

  /**
   * What another thread found `file` shows (a worker of the CLI's pool), unless this one has looked
   * at the file already: a lookup then needs no parse of its own. A file's facts do not depend on
   * who parsed it, so findings are the same either way.
   */
  offer(file: string, shown: SharedFacts): void {
    if (this.tried.has(file)) return;
    this.tried.add(file);
    this.keep(file, shown);
  }

  private forgetFile(file: string): void {
    this.byFile.delete(file);
    this.effectsByFile.delete(file);
    this.routesByFile.delete(file);
    this.serializersByFile.delete(file);
    this.settingsByFile.delete(file);
  }

  private keep(file: string, shown: SharedFacts): void {
    if (shown.queryHelpers?.length) this.byFile.set(file, new Map(shown.queryHelpers.map((h) => [h.name, h])));
    if (shown.effectHelpers?.length) this.effectsByFile.set(file, groupByName(shown.effectHelpers));
    if (shown.routes?.length) this.routesByFile.set(file, shown.routes);
    if (shown.serializers?.length) this.serializersByFile.set(file, new Map(shown.serializers.map((x) => [x.name, x])));
    if (shown.djangoSettings) this.settingsByFile.set(file, shown.djangoSettings);
  }

  /**
   * Starts recording the files that lookups look at, until `track(undefined)`. Findings that used
   * another file's helpers stay valid as long as every file recorded (an import's candidates up to
   * the one that answered, existing or not) is unchanged.
   */
  track(consulted: Set<string> | undefined): void {
    this.consulted = consulted;
  }

  private loadOnce(candidate: string): void {
    this.consulted?.add(candidate);
    if (this.tried.has(candidate) || !this.load) return;
    // A candidate that does not exist is not looked for again: a CLI run's files do not appear mid-run.
    this.tried.add(candidate);
    if (!fs.existsSync(candidate)) return;
    const facts = this.load(candidate);
    if (facts) this.keep(candidate, facts);
  }

  /**
   * Function views of `file` that a Django urls.py routes to (name → route). The urls files are the
   * ones the workspace index knows, and (for the CLI) the urls.py beside the file, in its parent
   * folder and in the parent's other subfolders — where Django projects keep them.
   */
  routedViews(file: string): Map<string, string | undefined> {
    const out = new Map<string, string | undefined>();
    if (!file.endsWith('.py')) return out;
    const dir = path.dirname(file);
    const parent = path.dirname(dir);
    const near = [path.join(dir, 'urls.py'), path.join(parent, 'urls.py')];
    try {
      for (const e of fs.readdirSync(parent, { withFileTypes: true })) if (e.isDirectory()) near.push(path.join(parent, e.name, 'urls.py'));
    } catch {
      // An unreadable folder has no urls.py to offer.
    }
    for (const candidate of near) this.loadOnce(candidate);
    for (const [urls, routes] of this.routesByFile) {
      for (const r of routes) {
        if (candidates(urls, r.module, this.aliases).includes(file)) out.set(r.name, r.route);
      }
    }
    return out;
  }

  /**
   * Whether DRF pages list views by default for the Django app `file` is in: read from the settings
   * modules where Django projects keep them (`settings.py` or a `settings/` package beside the app,
   * in its parent folder, or in the parent's other subfolders; and those the workspace index knows).
   * True when one sets `DEFAULT_PAGINATION_CLASS`; false when settings were found and none does;
   * undefined when no settings module was found (nothing is known).
   */
  drfPagination(file: string): boolean | undefined {
    if (!file.endsWith('.py')) return undefined;
    const dir = path.dirname(file);
    const parent = path.dirname(dir);
    const near: string[] = [];
    const settingsIn = (folder: string): void => {
      near.push(path.join(folder, 'settings.py'));
      try {
        for (const e of fs.readdirSync(path.join(folder, 'settings'), { withFileTypes: true })) if (e.isFile() && e.name.endsWith('.py')) near.push(path.join(folder, 'settings', e.name));
      } catch {
        // No settings package here.
      }
    };
    settingsIn(dir);
    settingsIn(parent);
    try {
      for (const e of fs.readdirSync(parent, { withFileTypes: true })) if (e.isDirectory() && path.join(parent, e.name) !== dir) settingsIn(path.join(parent, e.name));
    } catch {
      // An unreadable folder has no settings to offer.
    }
    for (const candidate of near) this.loadOnce(candidate);
    let found: boolean | undefined;
    for (const [settingsFile, s] of this.settingsByFile) {
      // Settings of this project: beside the app, in its parent, or in one of the parent's folders.
      if (!settingsFile.startsWith(parent + path.sep) || !SETTINGS_MODULE.test(settingsFile)) continue;
      if (s.drfPagination) return true;
      found = false;
    }
    return found;
  }

  /** What the function `name` of the module `module` does that holds a request up (blocking calls, sends, untimed HTTP). */
  effects(fromFile: string, module: string, name: string): readonly EffectHelperFact[] {
    for (const candidate of candidates(fromFile, module, this.aliases)) {
      this.loadOnce(candidate);
      const found = this.effectsByFile.get(candidate)?.get(name);
      if (found) return found;
    }
    return [];
  }

  /** The DRF serializer `name` of the module `module` as imported from `fromFile` (no module: `fromFile` itself). */
  serializer(fromFile: string, module: string | undefined, name: string): SerializerFact | undefined {
    for (const candidate of module === undefined ? [fromFile] : candidates(fromFile, module, this.aliases)) {
      if (module !== undefined) this.loadOnce(candidate);
      const found = this.serializersByFile.get(candidate)?.get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** The query helper `name` exported by the module `module` as imported from `fromFile`. */
  lookup(fromFile: string, module: string, name: string): QueryHelperFact | undefined {
    for (const candidate of candidates(fromFile, module, this.aliases)) {
      this.loadOnce(candidate);
      const found = this.byFile.get(candidate)?.get(name);
      if (found) return found;
    }
    return undefined;
  }
}

function groupByName(effects: readonly EffectHelperFact[]): Map<string, EffectHelperFact[]> {
  const out = new Map<string, EffectHelperFact[]>();
  for (const e of effects) out.set(e.name, [...(out.get(e.name) ?? []), e]);
  return out;
}

/** Files an import may refer to: TS/JS relative specifiers, Python relative modules. */
function candidates(fromFile: string, module: string, aliases: readonly PathAlias[]): string[] {
  const dir = path.dirname(fromFile);
  if (fromFile.endsWith('.py')) {
    const dots = /^\.+/.exec(module)?.[0].length ?? 0;
    if (dots === 0) {
      // `from blog.services import x`: the project root is some folder above this file.
      const parts = module.split('.');
      const out: string[] = [];
      for (let d = dir, i = 0; i < 6; i++, d = path.dirname(d)) {
        out.push(path.join(d, ...parts) + '.py', path.join(d, ...parts, '__init__.py'));
        if (path.dirname(d) === d) break;
      }
      return out;
    }
    let base = dir;
    for (let i = 1; i < dots; i++) base = path.dirname(base);
    const rest = module.slice(dots).split('.').filter(Boolean);
    const target = path.join(base, ...rest);
    return [`${target}.py`, path.join(target, '__init__.py')];
  }
  const targets = module.startsWith('.') ? [path.resolve(dir, module)] : expandAlias(aliases, module);
  return targets.flatMap((target) => {
    // `./users.js` in ESM TypeScript refers to users.ts.
    const stem = target.replace(/\.(js|mjs|cjs|jsx)$/, '');
    return [target, ...['.ts', '.tsx', '.mts', '.js', '.jsx', '.mjs', '.cjs'].map((e) => stem + e), ...['index.ts', 'index.tsx', 'index.js'].map((i) => path.join(target, i))];
  });
}
