/**
 * code-server (VS Code in the browser) for one test session: a scratch HOME, TMPDIR, user-data and
 * extensions folder; the VSIX installed with --install-extension; the server on 127.0.0.1 with a
 * port of its choosing and no auth. Runs on the Node 24 it needs, in its own process group so that
 * stopping it also stops the extension host and the PerfLens server it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { E2eTools } from './environment';
import { ARTIFACTS, scratchDir } from './environment';

const INSTALL_TIMEOUT_MS = 120_000;
const LISTEN_TIMEOUT_MS = 60_000;

export interface CodeServer {
  url: string;
  /** Where --install-extension put the extension. */
  extensionsDir: string;
  stop(): Promise<void>;
}

function logStream(name: string): fs.WriteStream {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return fs.createWriteStream(path.join(ARTIFACTS, name));
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

export async function startCodeServer(
  tools: Pick<E2eTools, 'node' | 'codeServer'>,
  options: { name: string; workspace: string; vsix: string; settings: Record<string, unknown> },
): Promise<CodeServer> {
  const scratch = scratchDir(`${options.name}-code-server`);
  const dirs = { home: path.join(scratch, 'home'), tmp: path.join(scratch, 'tmp'), data: path.join(scratch, 'data'), extensions: path.join(scratch, 'extensions') };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(dirs.data, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.data, 'User/settings.json'), JSON.stringify(options.settings, null, 2));
  const env = { ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp, XDG_CONFIG_HOME: path.join(dirs.home, '.config'), XDG_DATA_HOME: path.join(dirs.home, '.local/share') };
  const common = ['--user-data-dir', dirs.data, '--extensions-dir', dirs.extensions];

  const log = logStream(`${options.name}-code-server.log`);
  const install = spawn(tools.node, [tools.codeServer, ...common, '--install-extension', options.vsix], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let installOutput = '';
  for (const stream of [install.stdout!, install.stderr!]) stream.on('data', (d: Buffer) => ((installOutput += d), log.write(d)));
  const installTimer = setTimeout(() => install.kill('SIGKILL'), INSTALL_TIMEOUT_MS);
  await exited(install);
  clearTimeout(installTimer);
  if (install.exitCode !== 0 || !/was successfully installed/.test(installOutput)) {
    throw new Error(`code-server --install-extension failed (${install.exitCode ?? install.signalCode}):\n${installOutput}`);
  }

  const child = spawn(
    tools.node,
    [
      tools.codeServer,
      ...common,
      '--bind-addr', '127.0.0.1:0',
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      options.workspace,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const group = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // The group is gone already.
      }
    };
    group('SIGTERM');
    const killer = setTimeout(() => group('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(killer);
    group('SIGKILL');
    log.end();
  };
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${LISTEN_TIMEOUT_MS} ms:\n${output}`)), LISTEN_TIMEOUT_MS);
    const onData = (d: Buffer) => {
      log.write(d);
      output += d;
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`code-server exited (${code ?? signal}):\n${output}`))));
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { url, extensionsDir: dirs.extensions, stop };
}
