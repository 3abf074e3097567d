// Owns turning model settings (empty, relative, ~, ${extensionPath}) into model folders the backend loads (no 'vscode').
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as hostPath from 'node:path';
import { join } from 'node:path';
import type { ModelRef } from '../../core/engine';
import type { ModelTask } from '../../core/models/modelFolder';
import type { Config } from '../config';
import { modelFileBytes, useInt8, type QuantizedSetting } from '../../core/runtime/sessionPolicy';

/** The models shipped in the extension's models/ folder, one per task. */
export const BUNDLED_MODELS: Record<ModelTask, string> = {
  ner: 'models/ner-albert',
  relations: 'models/re-electra',
  qa: 'models/qa-albert',
};

export interface ResolveContext {
  extensionPath: string;
  workspaceFolders: readonly string[];
  /** Whether the user trusts the workspace; an untrusted one never supplies a model folder. */
  workspaceTrusted: boolean;
  /** The path rules of the machine the extension host runs on (path.win32 / path.posix in tests). */
  path?: hostPath.PlatformPath;
  /** Defaults to the host's home folder and file system. */
  home?: string;
  exists?: (folder: string) => boolean;
}

/**
 * An absolute folder for a setting value. Empty means the bundled model, always inside the extension: a repository
 * with its own models/ner-albert/ must not replace it. Other relative paths are tried against each workspace folder
 * (only in a trusted workspace), then the extension; the first that exists wins.
 *
 * Windows: drive letters (`C:\models`, `C:/models`), UNC shares (`\\server\share\models`) and either separator work.
 * A root-relative `\models` or drive-relative `D:models` depends on the process's current drive or folder, which an
 * editor does not define: `\models` is taken on the first workspace folder's drive (or share), `D:models` as `D:\models`.
 * POSIX: a relative value may use `\` (a workspace's settings.json is shared between Windows and Linux or macOS
 * machines, e.g. over Remote-SSH), so backslashes in relative values are separators there too.
 */
export function resolveModelFolder(setting: string, task: ModelTask, context: ResolveContext): string {
  const path = context.path ?? hostPath;
  const exists = context.exists ?? existsSync;
  const bundled = path.resolve(path.join(context.extensionPath, BUNDLED_MODELS[task]));
  let value = setting.trim();
  if (value === '') return bundled;
  const workspaces = context.workspaceTrusted ? context.workspaceFolders : [];
  if (/^\$\{workspaceFolder\}/.test(value) && workspaces.length === 0) return bundled;
  const windows = path.sep === '\\';
  const firstBase = workspaces[0] ?? context.extensionPath;
  if (!windows && !value.startsWith('/')) value = value.replace(/\\/g, '/');
  let expanded = value
    .replace(/^\$\{extensionPath\}/, context.extensionPath)
    .replace(/^\$\{workspaceFolder\}/, firstBase)
    .replace(/^~(?=$|[\\/])/, context.home ?? homedir());
  if (windows) {
    const driveRelative = /^([a-zA-Z]:)(?![\\/])(.*)$/.exec(expanded);
    if (driveRelative) expanded = `${driveRelative[1]}\\${driveRelative[2]}`;
    else if (/^[\\/](?![\\/])/.test(expanded)) expanded = path.parse(path.resolve(firstBase)).root + expanded.slice(1);
  }
  if (path.isAbsolute(expanded)) return path.resolve(expanded);
  const candidates = [...workspaces, context.extensionPath].map((base) => path.resolve(base, expanded));
  return candidates.find((c) => exists(c)) ?? candidates[candidates.length - 1];
}

/**
 * Asks for int8 only where the folder has it: re-electra ships fp32 only, and one missing variant should not stop work.
 * `auto` decides by the fp32 file's size (useInt8), so cache keys and worker sessions name the file that really runs.
 */
export function modelRef(folder: string, quantized: QuantizedSetting): ModelRef {
  const hasInt8 = existsSync(join(folder, 'onnx', 'model_quantized.onnx'));
  return { folder, quantized: useInt8(quantized, { hasInt8, fp32Bytes: modelFileBytes(join(folder, 'onnx', 'model.onnx')) }) };
}

export interface ModelRefs {
  ner: ModelRef[];
  relations: ModelRef;
  qa: ModelRef;
}

export function modelRefs(config: Config, context: ResolveContext): ModelRefs {
  const q = config.runtime.quantized;
  const ner = config.models.ner.length > 0 ? config.models.ner : [''];
  return {
    ner: ner.map((s) => modelRef(resolveModelFolder(s, 'ner', context), q)),
    relations: modelRef(resolveModelFolder(config.models.relations, 'relations', context), q),
    qa: modelRef(resolveModelFolder(config.models.qa, 'qa', context), q),
  };
}
