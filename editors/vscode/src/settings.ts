// The server's settings as the client sends them under the `galley` section. Only values the
// user actually set are sent, so an untouched setting never overrides the workspace's
// galley.toml with the extension's default.
import * as vscode from 'vscode';

export interface ServerSettings {
  enable?: boolean;
  configurationPreference?: string;
  nearDuplicateThreshold?: number;
  minParagraphWords?: number;
  rules?: Record<string, string>;
  language?: string;
  required?: string[];
}

// Extension setting key -> key the server reads.
const KEYS: [string, keyof ServerSettings][] = [
  ['enable', 'enable'],
  ['configurationPreference', 'configurationPreference'],
  ['nearDuplicateThreshold', 'nearDuplicateThreshold'],
  ['minParagraphWords', 'minParagraphWords'],
  ['rules', 'rules'],
  ['profile.language', 'language'],
  ['profile.required', 'required'],
];

function userValue<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const seen = config.inspect<T>(key);
  if (!seen) {
    return undefined;
  }
  return seen.workspaceFolderLanguageValue ??
    seen.workspaceLanguageValue ??
    seen.globalLanguageValue ??
    seen.workspaceFolderValue ??
    seen.workspaceValue ??
    seen.globalValue;
}

export function serverSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const config = vscode.workspace.getConfiguration('galley', scope);
  const settings: Record<string, unknown> = {};
  for (const [key, serverKey] of KEYS) {
    const value = userValue<unknown>(config, key);
    if (value !== undefined && value !== null) {
      settings[serverKey] = value;
    }
  }
  return settings as ServerSettings;
}
