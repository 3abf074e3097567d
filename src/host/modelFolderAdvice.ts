// Owns what the model picker says about a folder that cannot be used, and which bundled models are demonstrations
// with their measured scores (no 'vscode').
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelTask } from '../core/models/modelFolder';

/** Everything a usable model folder holds (src/core/models/modelFolder.ts checks it). */
export const MODEL_FOLDER_NEEDS =
  'config.json (with "architectures" and id2label), tokenizer.json and onnx/model.onnx (or onnx/model_quantized.onnx)';

const CHECKPOINTS: readonly { file: string; kind: string; flag: string }[] = [
  { file: 'pytorch_model.bin', kind: 'a PyTorch checkpoint', flag: '' },
  { file: 'model.safetensors', kind: 'a PyTorch checkpoint (safetensors)', flag: '' },
  { file: 'tf_model.h5', kind: 'a TensorFlow checkpoint', flag: ' --from-tf' },
];

/**
 * One line for a folder the picker cannot use: "does not exist", a checkpoint that needs exporting (with the command),
 * or every file that is missing — never only the first. `problem` is what describeModelFolder found, if anything.
 */
export function modelFolderAdvice(folder: string, problem?: string): string {
  if (!existsSync(folder)) return `${folder} does not exist. Choose a model folder holding ${MODEL_FOLDER_NEEDS}.`;
  if (!statSync(folder).isDirectory()) return `${folder} is a file, not a folder. Choose the folder that holds ${MODEL_FOLDER_NEEDS}.`;
  const has = (file: string): boolean => existsSync(join(folder, file));
  const onnx = has(join('onnx', 'model.onnx')) || has(join('onnx', 'model_quantized.onnx'));
  const checkpoint = CHECKPOINTS.find((c) => has(c.file));
  if (checkpoint && !onnx) {
    return (
      `${folder} holds ${checkpoint.kind} (${checkpoint.file}), not an ONNX export. Convert it with ` +
      `python3 tools/export_onnx.py --model "${folder}" --out <new folder>${checkpoint.flag}, then choose the new folder.`
    );
  }
  const missing = ['config.json', 'tokenizer.json'].filter((f) => !has(f));
  if (!onnx) missing.push('onnx/model.onnx');
  if (missing.length > 0) return `${folder} is missing ${missing.join(', ')}. A model folder needs ${MODEL_FOLDER_NEEDS}.`;
  return `${folder} cannot be used: ${problem ?? 'unknown problem'}. A model folder needs ${MODEL_FOLDER_NEEDS}.`;
}

/**
 * The bundled models are small demonstrations, measured on ChemProt (README "Evaluation"): they show how the editor
 * works, not what a full-size model finds.
 */
export const DEMO_MODELS: Record<ModelTask, { name: string; score: string }> = {
  ner: { name: 'ner-albert', score: 'exact-span F1 0.457 on the first 100 ChemProt dev abstracts' },
  relations: { name: 're-electra', score: 'micro-F1 0.228 on ChemProt dev pairs' },
  qa: { name: 'qa-albert', score: 'answers near zero: a placeholder' },
};

/** "demo · exact-span F1 0.457 …" for a bundled model's picker entry. */
export function demoTag(task: ModelTask): string {
  return `demo · ${DEMO_MODELS[task].score}`;
}

/** The once-only note when the first annotation runs with a bundled (demo) model; undefined for other models. */
export function demoNotice(task: ModelTask, usesBundled: boolean): string | undefined {
  if (!usesBundled) return undefined;
  const { name, score } = DEMO_MODELS[task];
  return `BioM: ${name} is a bundled demonstration model (${score}); expect fragments and misses. Choose a full model with "Select Model…".`;
}
