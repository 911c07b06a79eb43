/**
 * `compilerOptions.paths` of the workspace's tsconfig.json (`"@/*": ["src/*"]`), so that imports
 * through aliases resolve to files like relative ones do. JSON with comments is read with
 * TypeScript's own reader; a missing or broken file means no aliases.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export interface PathAlias {
  /** `@/` of `@/*`, or the whole specifier for an exact alias. */
  prefix: string;
  wildcard: boolean;
  /** Absolute targets, with `*` where the rest of the specifier goes. */
  targets: string[];
}

export function readPathAliases(root: string, log: (m: string) => void = () => {}): PathAlias[] {
  const file = path.join(root, 'tsconfig.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const parsed = ts.parseConfigFileTextToJson(file, text);
  if (parsed.error) {
    log(`${file}: ${ts.flattenDiagnosticMessageText(parsed.error.messageText, '\n')}; path aliases ignored`);
    return [];
  }
  const options = parsed.config?.compilerOptions ?? {};
  const base = path.resolve(root, typeof options.baseUrl === 'string' ? options.baseUrl : '.');
  const paths = options.paths && typeof options.paths === 'object' ? (options.paths as Record<string, unknown>) : {};
  return Object.entries(paths).flatMap(([key, targets]): PathAlias[] => {
    if (!Array.isArray(targets)) return [];
    const wildcard = key.endsWith('*');
    return [{ prefix: wildcard ? key.slice(0, -1) : key, wildcard, targets: targets.filter((t): t is string => typeof t === 'string').map((t) => path.resolve(base, t)) }];
  });
}

/** The files an aliased specifier may point at (without extensions; the caller adds them). */
export function expandAlias(aliases: readonly PathAlias[], specifier: string): string[] {
  const out: string[] = [];
  for (const a of aliases) {
    if (a.wildcard ? specifier.startsWith(a.prefix) : specifier === a.prefix) {
      const rest = a.wildcard ? specifier.slice(a.prefix.length) : '';
      for (const t of a.targets) out.push(t.replace('*', rest));
    }
  }
  return out;
}
