/** Running the bundled CLI as users do (`node bin/perflens.js …`) in temporary workspaces. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../harness/engine';

const BIN = path.join(REPO_ROOT, 'bin/perflens.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Colour variables are cleared so that the output does not depend on the shell running the tests. */
export function perflens(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface JsonReport {
  version: number;
  files: number;
  findings: Array<Record<string, any>>;
}

export function json(run: Run): JsonReport {
  return JSON.parse(run.stdout) as JsonReport;
}

/** A fresh folder per test (`beforeEach`), removed afterwards (`afterEach`). */
export class TempWorkspace {
  root = '';

  create(): void {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-cli-'));
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  write(rel: string, text: string | Buffer): void {
    fs.mkdirSync(path.dirname(path.join(this.root, rel)), { recursive: true });
    fs.writeFileSync(path.join(this.root, rel), text);
  }

  read(rel: string): string {
    return fs.readFileSync(path.join(this.root, rel), 'utf8');
  }
}
