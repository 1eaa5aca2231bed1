// "Galley: Fix all problems in this draft": asks the providers for the `source.fixAll.galley`
// code action on the whole active document and applies it, as the editor's own
// "Fix All" would, but with a message when there is nothing to fix.
import * as vscode from 'vscode';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('galley');

export async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Galley: open a draft to fix it.');
    return;
  }
  const document = editor.document;
  const whole = new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end);
  // The last argument asks VS Code to resolve lazily computed edits (codeAction/resolve).
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    document.uri,
    whole,
    FIX_ALL_KIND.value,
    10,
  );
  const action = (actions ?? []).find((candidate) => candidate.kind && FIX_ALL_KIND.contains(candidate.kind));
  if (!action) {
    void vscode.window.showInformationMessage('Galley: nothing to fix automatically in this draft.');
    return;
  }
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
    void vscode.window.showErrorMessage('Galley: the draft changed while fixing it; try again.');
    return;
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}
