// Owns measuring this machine's speed once for the model picker (bundled NER model, through the worker) and storing it.
import { join } from 'node:path';
import type { Services } from '../services';
import { folderComputePerToken, type SpeedProbe } from '../../core/runtime/speedEstimate';
import { BUNDLED_MODELS } from './modelRefs';

const PROBE_KEY = 'biom.speedProbe';

/** Two different texts of abstract length: the first loads the model, the second (not cached) is timed. */
const PROBE_TEXTS = [0, 1].map((k) =>
  Array.from(
    { length: 12 },
    (_, i) =>
      `In probe ${k}.${i}, aspirin and ibuprofen inhibited COX-2 and PTGS1 expression in human cells treated for ${i + k + 2} hours.`,
  ).join(' '),
);

/**
 * The stored probe, or a new one measured now (about a second with the bundled model) and stored in global state;
 * undefined when the bundled model cannot run (the picker then shows no estimate).
 */
export async function speedProbe(services: Services): Promise<SpeedProbe | undefined> {
  const stored = services.context.globalState.get<SpeedProbe>(PROBE_KEY);
  if (stored && stored.charsPerSecond > 0) return stored;
  const folder = join(services.context.extensionUri.fsPath, BUNDLED_MODELS.ner);
  const computePerToken = folderComputePerToken(folder);
  if (!computePerToken) return undefined;
  try {
    const options = { models: [{ folder, quantized: false }], aggregation: services.config.current.ner.aggregation };
    await services.backend.annotate(PROBE_TEXTS[0], options);
    const started = performance.now();
    await services.backend.annotate(PROBE_TEXTS[1], options);
    const seconds = (performance.now() - started) / 1000;
    const probe: SpeedProbe = { charsPerSecond: PROBE_TEXTS[1].length / seconds, computePerToken, measuredAt: new Date().toISOString() };
    await services.context.globalState.update(PROBE_KEY, probe);
    return probe;
  } catch {
    return undefined;
  }
}
