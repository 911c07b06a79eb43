/** SARIF 2.1.0, for GitHub code scanning and other CI dashboards. */
import { pathToFileURL } from 'node:url';
import type { Severity } from '../engine/finding';
import { docsUrl, type RuleMeta } from '../engine/rule';
import { filesWithFindings, type LintResults } from './lint-files';
import { region } from './positions';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function sarifRegion(r: ReturnType<typeof region>) {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

/** artifactLocation.uri is a URI reference: a path with spaces or `#` must be percent-encoded. */
function relativeUri(relative: string): string {
  return relative.split('/').map(encodeURIComponent).join('/');
}

export function formatSarif(results: LintResults, rules: readonly RuleMeta[], version: string): string {
  const sarifResults = filesWithFindings(results).flatMap(({ file, relative: path, findings }) => {
    const relative = relativeUri(path);
    return findings.map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: rules.findIndex((r) => r.id === f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: relative, uriBaseId: '%SRCROOT%' }, region: sarifRegion(region(file, f)) } }],
      fixes: f.fixes
        // A new migration is a new file: its name is chosen when it is written (in the editor). A fix
        // that adds to another file is made from that file's text when applied: not a replacement.
        .filter((x) => x.applicability !== 'display-only' && x.edits.length > 0 && !x.addToFile)
        .map((x) => ({
          description: { text: `${x.title} (${x.applicability})` },
          artifactChanges: [
            {
              artifactLocation: { uri: relative, uriBaseId: '%SRCROOT%' },
              replacements: x.edits.map((e) => ({ deletedRegion: sarifRegion(region(file, e)), insertedContent: { text: e.newText } })),
            },
          ],
        })),
    }));
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'PerfLens',
            version,
            informationUri: 'https://github.com/perflens/perflens',
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              helpUri: docsUrl(r.id),
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        // Columns count UTF-16 code units (JavaScript string offsets); SARIF's default is code points.
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(results.root).href.replace(/\/?$/, '/') } },
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
