/** A minimal LSP client over stdio for tests: spawns the bundled server, records what it sends. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from '../harness/engine';

export interface TestClient {
  connection: ProtocolConnection;
  process: ChildProcess;
  logs: string[];
  notifications: Array<{ method: string; params: any }>;
  /** Resolves with the first notification of `method` whose params satisfy `accept`. */
  waitFor(method: string, accept?: (params: any) => boolean, timeoutMs?: number): Promise<any>;
  configurationRequests: number;
  /** `workspace/diagnostic/refresh` requests the server sent. */
  refreshRequests: number;
  close(): Promise<void>;
}

/**
 * `initialize` + `initialized` for a workspace folder, with configuration support and the given
 * initialization options (the database tests' storage folder, trust, password support).
 */
export async function initializeWorkspace(client: TestClient, root: string, initializationOptions: Record<string, unknown> = {}): Promise<any> {
  const uri = pathToFileURL(root).href;
  const init = await client.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'ws' }],
    capabilities: { workspace: { configuration: true } },
    initializationOptions,
  });
  client.connection.sendNotification('initialized', {});
  return init;
}

/** `serverScript`: the bundle to run; the package tests run the one unpacked from the VSIX. */
export function startServer(settings: Record<string, unknown> = {}, serverScript = path.join(REPO_ROOT, 'server/out/server.js')): TestClient {
  const proc = spawn(process.execPath, [serverScript, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const client: TestClient = {
    connection,
    process: proc,
    logs: [],
    notifications: [],
    configurationRequests: 0,
    refreshRequests: 0,
    waitFor(method, accept = () => true, timeoutMs = 20_000) {
      const seen = client.notifications.find((n) => n.method === method && accept(n.params));
      if (seen) return Promise.resolve(seen.params);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms; logs:\n${client.logs.join('\n')}`)), timeoutMs);
        waiters.push({ method, accept, resolve: (p: any) => (clearTimeout(timer), resolve(p)) });
      });
    },
    async close() {
      try {
        await connection.sendRequest('shutdown');
        connection.sendNotification('exit', undefined);
      } catch {
        // The server may be gone already.
      }
      await new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        const t = setTimeout(() => (proc.kill(), resolve()), 5_000);
        proc.once('exit', () => (clearTimeout(t), resolve()));
      });
      connection.dispose();
    },
  };
  const waiters: Array<{ method: string; accept: (p: any) => boolean; resolve: (p: any) => void }> = [];
  const record = (method: string, params: any) => {
    if (method === 'window/logMessage') client.logs.push(params.message);
    client.notifications.push({ method, params });
    for (const w of [...waiters]) {
      if (w.method === method && w.accept(params)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(params);
      }
    }
  };
  for (const method of ['window/logMessage', 'textDocument/publishDiagnostics', 'perflens/status', 'perflens/databaseProgress', '$/progress']) {
    connection.onNotification(method, (params: any) => record(method, params));
  }
  connection.onRequest('workspace/configuration', (params: any) => {
    client.configurationRequests++;
    return params.items.map(() => settings);
  });
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/showDocument', () => ({ success: true }));
  connection.onRequest('workspace/diagnostic/refresh', () => {
    client.refreshRequests++;
    return null;
  });
  connection.listen();
  return client;
}
