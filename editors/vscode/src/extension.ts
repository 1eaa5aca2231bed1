// Entry point of the Galley extension: starts `galley lsp` for plain-text and Markdown files,
// keeps it in step with the `galley.*` settings, and registers the commands and status item.
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { findGalley } from './binary';
import { fixAll } from './fixAll';
import { serverSettings } from './settings';
import { StatusItem } from './status';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let status: StatusItem;
let extensionPath: string;

function clientOptions(): LanguageClientOptions {
  return {
    documentSelector: [
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'plaintext' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: () => serverSettings(),
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/galley.toml'),
    },
    middleware: {
      workspace: {
        // The default answer would be VS Code's raw `galley` section (with `path`, `trace`
        // and nested `profile`); the server wants its own flat keys, user-set values only.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) =>
            item.section === 'galley'
              ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : answers[index],
          );
        },
      },
    },
  };
}

async function startClient(): Promise<void> {
  const lookup = findGalley(extensionPath);
  if (!lookup.found) {
    status.setState('missing');
    output.error(lookup.message);
    const choice = await vscode.window.showErrorMessage(lookup.message, 'Open Settings', 'Show Output');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'galley.path');
    } else if (choice === 'Show Output') {
      output.show();
    }
    return;
  }
  output.info(`Using ${lookup.path} (${lookup.source})`);
  // No `transport`: stdio is the default, and naming it would append `--stdio` to the args.
  const server: ServerOptions = { command: lookup.path, args: ['lsp'] };
  const next = new LanguageClient('galley', 'Galley', server, clientOptions());
  next.onDidChangeState((event) => {
    switch (event.newState) {
      case State.Starting:
        status.setState('starting');
        break;
      case State.Running:
        status.setState('running');
        break;
      case State.Stopped:
        status.setState('stopped');
        break;
    }
  });
  client = next;
  status.setState('starting');
  try {
    await next.start();
  } catch (error) {
    status.setState('stopped');
    output.error(`Galley: the server failed to start: ${String(error)}`);
    void vscode.window.showErrorMessage(
      `Galley: the server at ${lookup.path} failed to start. See "Galley: Show output".`,
    );
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output.warn(`Galley: stopping the server: ${String(error)}`);
    }
  }
}

async function restart(): Promise<void> {
  await stopClient();
  await startClient();
}

function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
  if (event.affectsConfiguration('galley.path')) {
    void restart();
  } else if (event.affectsConfiguration('galley') && client?.isRunning()) {
    void client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { galley: serverSettings() },
    });
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel('Galley', { log: true });
  status = new StatusItem();
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('galley.fixAll', fixAll),
    vscode.commands.registerCommand('galley.restart', restart),
    vscode.commands.registerCommand('galley.showOutput', () => output.show()),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
