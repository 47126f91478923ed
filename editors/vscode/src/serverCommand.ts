/**
 * How to start the payerlex language server: which executable, with which arguments.
 *
 * Kept apart from the VS Code API (it only reads the file system and the environment it is
 * given) so that it runs under Node's test runner (test/server-command.test.mjs): the part of
 * the client that can go wrong on a user's machine, a missing or misconfigured `payerlex`, is
 * tested without starting VS Code. Every failure comes back as a message for the user that
 * names the setting to change; nothing here throws.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The extension's settings that decide how the server starts. */
export interface ServerSettings {
  /** `payerlex.path`: a command name looked up on PATH, or a path to the executable. */
  path: string;
  /** `payerlex.policies`: the policy packs folder, or empty for the server's default. */
  policies: string;
}

/** A resolved server command: run `command` with `args` over stdio. */
export interface ServerCommand {
  command: string;
  args: string[];
}

export type Resolution = { ok: true; server: ServerCommand } | { ok: false; message: string };

/** What the resolution reads from its surroundings (the real ones by default). */
export interface Environment {
  /** `process.env` or a stand-in: PATH (and PATHEXT on Windows) are read. */
  env: Record<string, string | undefined>;
  /** The first workspace folder: relative settings are taken from it. */
  workspaceRoot: string | undefined;
  platform: NodeJS.Platform;
}

export const DEFAULT_EXECUTABLE = 'payerlex';

const INSTALL_HINT =
  'Install the payerlex command line (from the payerlex repository: `cargo install --path crates/payerlex-cli`) ' +
  'or set "payerlex.path" to the executable. Syntax highlighting works without it.';

/** Resolves the settings to the command that starts `payerlex lsp`, or says why it cannot. */
export function resolveServerCommand(settings: ServerSettings, environment: Environment): Resolution {
  const executable = findExecutable(settings.path.trim() || DEFAULT_EXECUTABLE, environment);
  if (!executable.ok) return executable;

  const args = ['lsp'];
  const policies = settings.policies.trim();
  if (policies !== '') {
    const folder = resolveSetting(policies, environment);
    if (folder === undefined) {
      return {
        ok: false,
        message: `payerlex: "payerlex.policies" is the relative path "${policies}" but no folder is open to resolve it against; open the workspace or use an absolute path.`,
      };
    }
    if (!isDirectory(folder)) {
      return {
        ok: false,
        message: `payerlex: the language server was not started: the policies folder "${folder}" (setting "payerlex.policies") does not exist or is not a folder.`,
      };
    }
    args.push('--policies', folder);
  }
  return { ok: true, server: { command: executable.path, args } };
}

type Found = { ok: true; path: string } | { ok: false; message: string };

function findExecutable(setting: string, environment: Environment): Found {
  const isPath = setting.includes('/') || setting.includes('\\') || path.isAbsolute(setting);
  if (isPath) {
    const candidate = resolveSetting(setting, environment);
    if (candidate === undefined) {
      return {
        ok: false,
        message: `payerlex: "payerlex.path" is the relative path "${setting}" but no folder is open to resolve it against; use an absolute path or a command name on PATH.`,
      };
    }
    const found = withWindowsExtensions(candidate, environment).find((file) => isExecutable(file, environment));
    if (found === undefined) {
      return {
        ok: false,
        message: `payerlex: the language server was not started: "${candidate}" (setting "payerlex.path") is not an executable file. ${INSTALL_HINT}`,
      };
    }
    return { ok: true, path: found };
  }

  const pathVariable = environment.env.PATH ?? environment.env.Path ?? '';
  const separator = environment.platform === 'win32' ? ';' : ':';
  for (const directory of pathVariable.split(separator)) {
    if (directory === '') continue;
    const found = withWindowsExtensions(path.join(directory, setting), environment).find((file) =>
      isExecutable(file, environment),
    );
    if (found !== undefined) return { ok: true, path: found };
  }
  return {
    ok: false,
    message: `payerlex: the language server was not started: "${setting}" was not found on PATH. ${INSTALL_HINT}`,
  };
}

/** A setting's path made absolute against the workspace, or undefined when it cannot be. */
function resolveSetting(setting: string, environment: Environment): string | undefined {
  if (path.isAbsolute(setting)) return path.normalize(setting);
  if (environment.workspaceRoot === undefined) return undefined;
  return path.resolve(environment.workspaceRoot, setting);
}

function withWindowsExtensions(file: string, environment: Environment): string[] {
  if (environment.platform !== 'win32' || path.extname(file) !== '') return [file];
  const extensions = (environment.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '');
  return [...extensions.map((extension) => file + extension.toLowerCase()), file];
}

function isExecutable(file: string, environment: Environment): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (environment.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
