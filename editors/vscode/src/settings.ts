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
  profile?: { language?: string; required?: string[] };
}

// Extension setting keys; dotted ones nest (`profile.language` -> `{profile: {language}}`),
// as `[profile]` does in galley.toml and as the server reads them.
const KEYS: string[] = [
  'enable',
  'configurationPreference',
  'nearDuplicateThreshold',
  'minParagraphWords',
  'rules',
  'profile.language',
  'profile.required',
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
  for (const key of KEYS) {
    const value = userValue<unknown>(config, key);
    if (value === undefined || value === null) {
      continue;
    }
    const [head, leaf] = key.split('.');
    if (leaf === undefined) {
      settings[head] = value;
    } else {
      const group = (settings[head] ?? {}) as Record<string, unknown>;
      group[leaf] = value;
      settings[head] = group;
    }
  }
  return settings as ServerSettings;
}
