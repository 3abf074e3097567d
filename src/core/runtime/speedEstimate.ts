// Owns the model picker's speed estimate: one measured probe on this machine, scaled by each model's compute per token.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one short run of a known model measured on this machine (stored once, in the extension's global state). */
export interface SpeedProbe {
  /** Characters of text per second the probe model annotated (warm, through the worker, as the editor runs it). */
  charsPerSecond: number;
  /** computePerToken of the probe model. */
  computePerToken: number;
  /** When it was measured (ISO), so a stale probe can be told apart. */
  measuredAt: string;
}

/** Characters of a typical PubMed abstract with its title (ChemProt dev mean: 1,619). */
export const ABSTRACT_CHARS = 1600;
/** An abstract slower than this is called slow in the picker: live annotation would lag behind typing. */
export const SLOW_SECONDS_PER_ABSTRACT = 5;
/**
 * int8 speed-up over fp32 assumed for an estimate: measured 2.0x at hidden 1024 and 3-4x at the xxlarge shape
 * (bench:scale); the lower figure, so the picker never promises more than the machine gives.
 */
const INT8_SPEEDUP = 2;

/**
 * Multiply-adds per token of a BERT-family encoder from its config.json: per layer the four attention projections
 * (4 h^2) and the feed-forward pair (2 h f). ALBERT shares weights across layers but computes every layer, so the file
 * size says nothing about speed; the layer count does. Attention's own length-dependent cost is left out (small at
 * abstract length). Undefined when the config lacks the numbers.
 */
export function computePerToken(config: Record<string, unknown>): number | undefined {
  const h = config.hidden_size;
  const f = config.intermediate_size;
  const layers = config.num_hidden_layers;
  if (typeof h !== 'number' || typeof f !== 'number' || typeof layers !== 'number') return undefined;
  return layers * (4 * h * h + 2 * h * f);
}

/** computePerToken of a model folder's config.json; undefined when it cannot be read. */
export function folderComputePerToken(folder: string): number | undefined {
  try {
    return computePerToken(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

/** Expected seconds per abstract for a model, from the probe; undefined without a probe or the model's numbers. */
export function secondsPerAbstract(probe: SpeedProbe | undefined, compute: number | undefined, int8: boolean): number | undefined {
  if (!probe || !compute || probe.charsPerSecond <= 0) return undefined;
  const charsPerSecond = (probe.charsPerSecond * probe.computePerToken) / compute;
  return ABSTRACT_CHARS / (charsPerSecond * (int8 ? INT8_SPEEDUP : 1));
}

/** The picker's words: "~0.2 s per abstract here", or "~9 s per abstract here: slow on this machine". */
export function describeSpeed(seconds: number | undefined): string | undefined {
  if (seconds === undefined) return undefined;
  const shown = seconds < 1 ? seconds.toFixed(1) : String(Math.round(seconds));
  return seconds > SLOW_SECONDS_PER_ABSTRACT ? `~${shown} s per abstract here: slow on this machine` : `~${shown} s per abstract here`;
}
