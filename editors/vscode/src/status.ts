// The status bar item: whether the server runs, and how many Galley findings the active draft
// has. Clicking it opens the Problems panel (or the log when the server is down).
import * as vscode from 'vscode';

export type ServerState = 'starting' | 'running' | 'stopped' | 'missing';

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: ServerState = 'starting';
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.item = vscode.window.createStatusBarItem('galley.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Galley';
    this.subscriptions.push(
      vscode.languages.onDidChangeDiagnostics(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    this.render();
  }

  setState(state: ServerState): void {
    this.state = state;
    this.render();
  }

  private findings(document: vscode.TextDocument): number {
    return vscode.languages
      .getDiagnostics(document.uri)
      .filter((diagnostic) => diagnostic.source === 'galley').length;
  }

  private render(): void {
    const document = vscode.window.activeTextEditor?.document;
    const isDraft = document !== undefined &&
      (document.languageId === 'plaintext' || document.languageId === 'markdown');
    switch (this.state) {
      case 'starting':
        this.item.text = '$(sync~spin) Galley';
        this.item.tooltip = 'Galley: starting the server';
        this.item.command = 'galley.showOutput';
        break;
      case 'stopped':
        this.item.text = '$(error) Galley';
        this.item.tooltip = 'Galley: the server is not running. Click for its log.';
        this.item.command = 'galley.showOutput';
        break;
      case 'missing':
        this.item.text = '$(error) Galley: no binary';
        this.item.tooltip = 'Galley: the galley binary was not found. Click for details.';
        this.item.command = 'galley.showOutput';
        break;
      case 'running': {
        const count = isDraft ? this.findings(document) : 0;
        const noun = count === 1 ? 'finding' : 'findings';
        this.item.text = isDraft
          ? `${count === 0 ? '$(check)' : '$(warning)'} Galley: ${count} ${noun}`
          : '$(check) Galley';
        this.item.tooltip = 'Galley: server running. Click to open Problems.';
        this.item.command = 'workbench.actions.view.problems';
        break;
      }
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}
