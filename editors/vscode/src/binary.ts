// Finds the `galley` executable: the `galley.path` setting, else the binary bundled in the
// extension's `server/` folder, else `galley` on PATH. Each miss is remembered so the error
// shown when nothing is found says exactly where we looked and how to fix it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXE = process.platform === 'win32' ? 'galley.exe' : 'galley';

export type Lookup =
  | { found: true; path: string; source: 'setting' | 'bundled' | 'PATH' }
  | { found: false; message: string };

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function expand(setting: string): string {
  let value = setting.trim();
  if (value === '~' || value.startsWith('~/')) {
    value = path.join(os.homedir(), value.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder) {
    value = value.replace(/\$\{workspaceFolder\}/g, folder);
  }
  return value;
}

function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, EXE))) {
      return path.join(dir, EXE);
    }
  }
  return undefined;
}

export function findGalley(extensionPath: string): Lookup {
  const configured = vscode.workspace.getConfiguration('galley').get<string>('path', '');
  if (configured.trim() !== '') {
    const file = expand(configured);
    if (isExecutable(file)) {
      return { found: true, path: file, source: 'setting' };
    }
    return {
      found: false,
      message:
        `Galley: the setting "galley.path" points to ${file}, which is not an executable file. ` +
        'Fix the path (or clear the setting to use the bundled binary or `galley` on PATH).',
    };
  }
  const bundled = path.join(extensionPath, 'server', EXE);
  if (isExecutable(bundled)) {
    return { found: true, path: bundled, source: 'bundled' };
  }
  const fromPath = onPath();
  if (fromPath) {
    return { found: true, path: fromPath, source: 'PATH' };
  }
  return {
    found: false,
    message:
      'Galley: no `galley` binary found (not in the "galley.path" setting, not bundled with ' +
      'the extension, not on PATH). Install it with `cargo install --path .` from a Galley ' +
      'checkout, or set "galley.path" to the binary, then run "Galley: Restart server".',
  };
}
