/**
 * Which database EXPLAIN and benchmarks use: "PerfLens: Select Database" (the embedded PostgreSQL
 * built from the workspace, a PostgreSQL or MySQL URL, a SQLite file), a status bar item that names it, and passwords in
 * VS Code's secret storage — the URL in settings never carries one. The server asks for the
 * password (`perflens/databasePassword`) only when it connects.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatabasePasswordParams, DatabasePasswordResult } from '../../server/src/protocol';
import { hasUserWithoutPassword, serverUrlProblem, shortName, splitPassword, type ServerKind } from './database-url';

const SECRET_PREFIX = 'perflens.database.password:';

export class DatabasePicker implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('perflens.database', vscode.StatusBarAlignment.Right, 99);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.item.name = 'PerfLens Database';
    this.item.command = 'perflens.selectDatabase';
    this.update();
    this.disposables.push(
      this.item,
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('perflens.database.url') && this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
    );
  }

  private configuredUrl(): string {
    return (vscode.workspace.getConfiguration('perflens').get<string>('database.url') ?? '').trim();
  }

  private update(): void {
    const url = this.configuredUrl();
    this.item.text = `$(database) ${shortName(url)}`;
    this.item.tooltip = url
      ? `PerfLens runs EXPLAIN and benchmarks on ${splitPassword(url).url} — click to change`
      : 'PerfLens runs EXPLAIN and benchmarks on an embedded PostgreSQL built from the workspace schema — click to change';
    if (vscode.workspace.isTrusted) this.item.show();
    else this.item.hide();
  }

  async select(): Promise<void> {
    const current = this.configuredUrl();
    const items: Array<vscode.QuickPickItem & { id: string }> = [
      { id: 'embedded', label: '$(server-environment) Embedded PostgreSQL', description: current ? '' : 'in use', detail: 'Built from the workspace schema with generated data; nothing to set up.' },
      { id: 'postgres', label: '$(plug) PostgreSQL…', description: current.startsWith('postgres') ? `in use: ${shortName(current)}` : '', detail: 'A database you run: postgres://user@host:5432/name (the password goes to secret storage).' },
    ];
    items.push({ id: 'mysql', label: '$(plug) MySQL or MariaDB…', description: /^(mysql|mariadb):/i.test(current) ? `in use: ${shortName(current)}` : '', detail: 'A database you run: mysql://user@host:3306/name (the password goes to secret storage).' });
    items.push({ id: 'sqlite', label: '$(file) SQLite file…', description: current.startsWith('sqlite:') ? `in use: ${current.slice(7)}` : '', detail: 'A .db/.sqlite file of the workspace, opened read-only into memory (never written).' });
    if (current && !current.startsWith('sqlite:')) items.push({ id: 'forget', label: '$(trash) Forget the saved password', detail: `for ${current}` });
    const pick = await vscode.window.showQuickPick(items, { title: 'PerfLens: Select Database', placeHolder: 'Database for EXPLAIN and benchmarks' });
    if (!pick) return;
    if (pick.id === 'embedded') return this.save('');
    if (pick.id === 'sqlite') {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const [file] = (await vscode.window.showOpenDialog({ title: 'PerfLens: SQLite database', canSelectMany: false, defaultUri: folder, filters: { 'SQLite database': ['db', 'sqlite', 'sqlite3', 'db3'], 'All files': ['*'] } })) ?? [];
      if (!file) return;
      // Relative to the workspace when inside it, so the setting works on every machine.
      const relative = folder && file.fsPath.startsWith(folder.fsPath + path.sep) ? vscode.workspace.asRelativePath(file, false) : file.fsPath;
      return this.save(`sqlite:${relative}`);
    }
    if (pick.id === 'forget') {
      await this.secrets.delete(SECRET_PREFIX + current);
      void vscode.window.showInformationMessage(`PerfLens forgot the password for ${current}.`);
      return;
    }
    const kind: ServerKind = pick.id === 'mysql' ? 'mysql' : 'postgres';
    const server = kind === 'mysql'
      ? { title: 'PerfLens: MySQL connection', example: 'mysql://user@host:3306/database', fallback: 'mysql://root@127.0.0.1:3306/mysql' }
      : { title: 'PerfLens: PostgreSQL connection', example: 'postgres://user@host:5432/database', fallback: 'postgres://postgres@127.0.0.1:5432/postgres' };
    const typed = await vscode.window.showInputBox({
      title: server.title,
      prompt: `${server.example} — a password typed here is moved to secret storage`,
      value: serverUrlProblem(kind, current) === undefined ? current : server.fallback,
      ignoreFocusOut: true,
      validateInput: (v) => serverUrlProblem(kind, v),
    });
    if (!typed) return;
    const { url, password } = splitPassword(typed.trim());
    if (password) await this.secrets.store(SECRET_PREFIX + url, password);
    else if (hasUserWithoutPassword(url)) await this.askPassword(url, true);
    await this.save(url);
  }

  private async save(url: string): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('perflens').update('database.url', url || undefined, target);
    this.update();
  }

  /** The server's `perflens/databasePassword`: the stored password, or one the user types now (then stored). */
  async password(params: DatabasePasswordParams): Promise<DatabasePasswordResult> {
    const stored = await this.secrets.get(SECRET_PREFIX + params.url);
    if (stored !== undefined) return { password: stored };
    return { password: await this.askPassword(params.url, false) };
  }

  private async askPassword(url: string, optional: boolean): Promise<string | undefined> {
    const password = await vscode.window.showInputBox({
      title: `PerfLens: password for ${url}`,
      prompt: `Kept in VS Code's secret storage, never in settings.${optional ? ' Leave empty if the server needs none.' : ''}`,
      password: true,
      ignoreFocusOut: true,
    });
    if (password) await this.secrets.store(SECRET_PREFIX + url, password);
    return password || undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
