/** The status bar item: what the server is doing (starting, indexing n/total, ready, error). */
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('perflens.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'PerfLens';
    this.item.command = 'perflens.showOutput';
    this.update({ state: 'starting' });
    this.item.show();
  }

  update(status: StatusParams): void {
    switch (status.state) {
      case 'starting':
        this.item.text = '$(sync~spin) PerfLens';
        this.item.tooltip = 'PerfLens is starting';
        break;
      case 'indexing':
        this.item.text = `$(sync~spin) PerfLens ${status.done ?? 0}/${status.total ?? '…'}`;
        this.item.tooltip = 'PerfLens is indexing the workspace';
        break;
      case 'ready':
        this.item.text = '$(pulse) PerfLens';
        this.item.tooltip = status.message ?? `PerfLens is ready${status.total ? ` (${status.total} files indexed)` : ''}`;
        break;
      case 'error':
        this.item.text = '$(error) PerfLens';
        this.item.tooltip = `PerfLens: ${status.message ?? 'error'} — click for the log`;
        break;
    }
    this.item.backgroundColor = status.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
