// Owns the per-file runtime choices: pre-packing, which variant `quantized: auto` runs, and the execution devices.
import { statSync } from 'node:fs';
import { DEVICES, type Device } from '../types';

export { DEVICES, type Device };

/** `biom.runtime.quantized`: always fp32, always int8 (where the folder has it), or int8 only for large models. */
export type QuantizedSetting = boolean | 'auto';

/**
 * fp32 files at least this large are "large": BioM-ELECTRA-Large is 1.3 GB and BioM-ALBERT-xxlarge 823 MB, the
 * bundled demonstration models 8-12 MB. Above it, pre-packing fp32 weights costs 9-40 s of start-up for +10%
 * throughput (measured at the xxlarge shape, ../shared/README.md "Real-model scale"), and `quantized: auto` runs int8.
 */
export const LARGE_MODEL_BYTES = 100 * 1024 * 1024;

export interface FileFacts {
  /** config.json model_type (albert, electra, ...). */
  modelType: string;
  /** The file is a dynamically quantized (int8) graph. */
  quantized: boolean;
  /** Size of the .onnx file (plus external data) in bytes. */
  bytes: number;
}

/**
 * Whether onnxruntime pre-packs weights for this file. Measured on this 2-core machine at the xxlarge shape: int8
 * pre-packing costs ~1 s of start-up and buys +50% tokens/s (89 -> 137), so it is on for every int8 file. For a large
 * fp32 file it costs 9-40 s (ALBERT re-packs its one shared layer once per layer: 49 s vs 7 s cold start) for +10%,
 * so it is off. Small fp32 files pack in well under a second, so they keep onnxruntime's default (on).
 */
export function prepackFor(file: FileFacts): boolean {
  if (file.quantized) return true;
  return file.bytes < LARGE_MODEL_BYTES;
}

/** Bytes of an .onnx file and its external-data file (`<name>.data`), 0 when missing. */
export function modelFileBytes(onnxPath: string): number {
  const size = (p: string): number => statSync(p, { throwIfNoEntry: false })?.size ?? 0;
  return size(onnxPath) + size(`${onnxPath}.data`);
}

/**
 * Whether `quantized` (the setting) runs the int8 file: `auto` picks int8 only when the folder has one and the fp32
 * file is large (LARGE_MODEL_BYTES). There int8 runs 3-4x fp32 at the xxlarge shape; for the small bundled models the
 * gain is small and int8 costs F1 (see README "Performance at BioM scale"), so they stay fp32.
 */
export function useInt8(setting: QuantizedSetting | undefined, files: { fp32Bytes: number; hasInt8: boolean }): boolean {
  if (!files.hasInt8) return false;
  if (setting === 'auto') return files.fp32Bytes >= LARGE_MODEL_BYTES;
  return setting === true;
}

/** onnxruntime's provider name for a device. */
const PROVIDER: Record<Exclude<Device, 'auto'>, string> = { cpu: 'cpu', cuda: 'cuda', dml: 'dml', coreml: 'coreml', webgpu: 'webgpu' };

/** Which non-CPU providers the onnxruntime-node npm binaries ship per platform (its README, 1.30). */
const SHIPPED: Record<string, readonly Device[]> = {
  'win32-x64': ['dml', 'webgpu'],
  'win32-arm64': ['dml', 'webgpu'],
  'linux-x64': ['cuda', 'webgpu'],
  'linux-arm64': [],
  'darwin-x64': ['coreml', 'webgpu'],
  'darwin-arm64': ['coreml', 'webgpu'],
};

export interface DevicePlan {
  /** Providers to try, in order; the CPU is always the last. */
  providers: string[];
  /** Why the requested device is not tried at all (not built for this platform), for the one-line message. */
  unavailable?: string;
}

/**
 * Providers for a device on this platform. `auto` tries CUDA where the CUDA provider is installed (Linux x64 with
 * onnxruntime-node's CUDA download), else the CPU: WebGPU is experimental in onnxruntime-node and DirectML/CoreML
 * are slower than the CPU for the small bundled models, so they run only when asked for.
 */
export function devicePlan(device: Device, platform: string, installed: readonly { name: string; bundled: boolean }[]): DevicePlan {
  const has = (name: string): boolean => installed.some((b) => b.name === name);
  if (device === 'cpu') return { providers: ['cpu'] };
  if (device === 'auto') {
    return installed.some((b) => b.name === 'cuda' && b.bundled) ? { providers: ['cuda', 'cpu'] } : { providers: ['cpu'] };
  }
  const shipped = SHIPPED[platform] ?? [];
  if (!shipped.includes(device) || !has(PROVIDER[device])) {
    const where = shipped.length > 0 ? `; here: cpu, ${shipped.join(', ')}` : '; here: cpu only';
    return { providers: ['cpu'], unavailable: `onnxruntime-node has no ${device} provider on ${platform}${where}` };
  }
  return { providers: [PROVIDER[device], 'cpu'] };
}

/** The one line a user sees when a requested device is not used. */
export function fallbackMessage(device: Device, reason: string): string {
  return `BioM runs on the CPU: the ${device} device could not be used (${reason}). Set biom.runtime.device to "cpu" to silence this.`;
}
