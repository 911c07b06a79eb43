/** The command line's shape, shared by every command: `--flag value`, `--flag=value`, positionals, and `--`. */

/** A mistake in the command line: printed as `perflens: <message>`, exit code 2. */
export class UsageError extends Error {}

/**
 * Walks `argv`. `flag(name, value, arg)` handles an option and returns true, or false when it does
 * not know it; `value()` takes the option's value (inline or the next argument). Unknown options are
 * usage errors; everything else, and everything after `--`, goes to `positional`.
 */
export function walkArgs(argv: readonly string[], flag: (name: string, value: () => string) => boolean, positional: (arg: string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      // Everything after `--` is positional, even a name that starts with a dash.
      argv.slice(i + 1).forEach(positional);
      return;
    }
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (flag(name, value)) continue;
    if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    positional(a);
  }
}
