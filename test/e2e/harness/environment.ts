/**
 * The tools the real-editor tests drive, from scripts/e2e-setup.mjs (run once per test run; it
 * installs what is missing, and is a few checks when everything is there). A missing tool fails
 * the tests that need it with the reason: these tests never skip.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../harness/engine';

export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts/e2e');

export interface E2eTools {
  chromium: string;
  nvim: string;
  /** Node 24, only for code-server. */
  node: string;
  /** code-server's entry script, run with `node`. */
  codeServer: string;
}

interface SetupReport {
  tools: Partial<E2eTools>;
  errors: Record<string, string>;
}

/** Setup can install ~1 GB on a cold machine; nothing in it waits without a limit of its own. */
export const SETUP_TIMEOUT_MS = 20 * 60_000;

let setup: Promise<SetupReport> | undefined;

function runSetup(): Promise<SetupReport> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const reportFile = path.join(ARTIFACTS, 'setup.json');
  const logFile = path.join(ARTIFACTS, 'setup.log');
  fs.rmSync(reportFile, { force: true });
  const out = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts/e2e-setup.mjs'), '--report', reportFile], { stdio: ['ignore', out, out] });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), SETUP_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      fs.closeSync(out);
      if (fs.existsSync(reportFile)) return resolve(JSON.parse(fs.readFileSync(reportFile, 'utf8')));
      resolve({ tools: {}, errors: { setup: `scripts/e2e-setup.mjs ended (${code ?? signal}) without a report; see ${logFile}` } });
    });
  });
}

/** The named tools, or an error that says why each missing one is missing. */
export async function requireTools<K extends keyof E2eTools>(...names: K[]): Promise<Pick<E2eTools, K>> {
  const report = await (setup ??= runSetup());
  const missing = names.filter((n) => !report.tools[n]);
  if (missing.length > 0) {
    const reasons = Object.entries(report.errors).map(([step, reason]) => `  ${step}: ${reason}`);
    throw new Error(`e2e tools missing: ${missing.join(', ')} (see ${path.join(ARTIFACTS, 'setup.log')})\n${reasons.join('\n')}`);
  }
  return report.tools as Pick<E2eTools, K>;
}

/**
 * A fresh scratch folder for one editor session (code-server writes into HOME and TMPDIR). Outside
 * the repository: a workspace inside it would sit under the repository's .gitignore.
 */
export function scratchDir(name: string): string {
  const dir = path.join(os.tmpdir(), `perflens-e2e-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
