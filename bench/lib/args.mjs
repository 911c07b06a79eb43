// Command-line options of `npm run bench` (node bench/run.mjs).

export const USAGE = `Usage: npm run bench -- [options]

Runs PerfLens and its peers on the same corpora, alternating tools within each round, and prints
ratios, medians, files/s, MB/s and peak RSS.

Options:
  --rounds N        measured rounds after the warm-up (default 5; --quick: 2)
  --quick           small corpora, fewer rounds and edits: a smoke run, not a result
  --only LIST       comma-separated tool ids (perflens, perflens-warm, perflens-models,
                    perflens-baseline, eslint, oxlint, biome, ruff)
  --baseline CLI    also run another PerfLens build (its bin/perflens.js, e.g. from
                    \`git archive <rev>\` + npm run bundle) in the same rounds: before/after
  --no-latency      skip the editor-latency measurement
  --no-database     skip the embedded database's build and warm EXPLAIN (bench/database.mjs)
  --edits N         edits per round in the editor-latency measurement (default 40; --quick: 10)
  --no-build        use the PerfLens build already in server/out and out/
  --out FILE        where to write the Markdown table (default bench/results/latest.md)
  -h, --help        show this help
`;

export class UsageError extends Error {}

function positiveInt(flag, v) {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} needs a whole number ≥ 1, got ${v === undefined ? 'nothing' : `"${v}"`}`);
  return Number(v);
}

export const TOOL_IDS = ['perflens', 'perflens-warm', 'perflens-models', 'perflens-baseline', 'eslint', 'oxlint', 'biome', 'ruff'];

export function parseArgs(argv) {
  const opts = { rounds: undefined, quick: false, only: undefined, latency: true, database: true, edits: undefined, build: true, out: undefined, baseline: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--rounds': opts.rounds = positiveInt(flag, value()); break;
      case '--edits': opts.edits = positiveInt(flag, value()); break;
      case '--quick': opts.quick = true; break;
      case '--no-latency': opts.latency = false; break;
      case '--no-database': opts.database = false; break;
      case '--no-build': opts.build = false; break;
      case '--out': {
        const v = value();
        if (!v) throw new UsageError('--out needs a file');
        opts.out = v;
        break;
      }
      case '--baseline': {
        const v = value();
        if (!v) throw new UsageError('--baseline needs the path of a bin/perflens.js');
        opts.baseline = v;
        break;
      }
      case '--only': {
        const v = value();
        if (!v) throw new UsageError('--only needs a list of tools');
        const ids = v.split(',').map((s) => s.trim()).filter(Boolean);
        for (const id of ids) if (!TOOL_IDS.includes(id)) throw new UsageError(`unknown tool "${id}" (${TOOL_IDS.join(', ')})`);
        opts.only = ids;
        break;
      }
      case '-h': case '--help': opts.help = true; break;
      default: throw new UsageError(`unknown option ${a}`);
    }
  }
  opts.rounds ??= opts.quick ? 2 : 5;
  opts.edits ??= opts.quick ? 10 : 40;
  return opts;
}
