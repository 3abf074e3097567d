// Owns turning model settings (empty, relative, ~, ${extensionPath}) into model folders the backend loads (no 'vscode').
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { ModelRef } from '../../core/engine';
import type { ModelTask } from '../../core/models/modelFolder';
import type { Config } from '../config';

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
}

/**
 * An absolute folder for a setting value. Empty means the bundled model, always inside the extension: a repository
 * with its own models/ner-albert/ must not replace it. Other relative paths are tried against each workspace folder
 * (only in a trusted workspace), then the extension; the first that exists wins.
 */
export function resolveModelFolder(setting: string, task: ModelTask, context: ResolveContext): string {
  const value = setting.trim();
  if (value === '') return resolve(join(context.extensionPath, BUNDLED_MODELS[task]));
  const workspaces = context.workspaceTrusted ? context.workspaceFolders : [];
  if (/^\$\{workspaceFolder\}/.test(value) && workspaces.length === 0) return resolve(join(context.extensionPath, BUNDLED_MODELS[task]));
  const expanded = value
    .replace(/^\$\{extensionPath\}/, context.extensionPath)
    .replace(/^\$\{workspaceFolder\}/, workspaces[0] ?? context.extensionPath)
    .replace(/^~(?=$|[\\/])/, homedir());
  if (isAbsolute(expanded)) return resolve(expanded);
  const candidates = [...workspaces, context.extensionPath].map((base) => resolve(join(base, expanded)));
  return candidates.find((c) => existsSync(c)) ?? candidates[candidates.length - 1];
}

/** Asks for int8 only where the folder has it: re-electra ships fp32 only, and one missing variant should not stop work. */
export function modelRef(folder: string, quantized: boolean): ModelRef {
  const hasInt8 = existsSync(join(folder, 'onnx', 'model_quantized.onnx'));
  return { folder, quantized: quantized && hasInt8 };
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
