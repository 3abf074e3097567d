// Owns length-bucketed batching: which rows share a model call, so a 20-token sentence is never padded to 512.

/**
 * A batch may hold at most this many padded tokens per real token. Rows of a batch are padded to its longest row;
 * 1.3 keeps padding under ~25% of the work while still filling batches of similar lengths.
 */
export const MAX_PAD_RATIO = 1.3;

/**
 * Splits rows into batches of at most `batchSize`, shortest rows first, cutting a batch before a row whose length
 * would make the padded size exceed MAX_PAD_RATIO x the real tokens. Returns row indices per batch; callers put the
 * results back by index, so output order never depends on the batching.
 */
export function lengthBatches(lengths: readonly number[], batchSize: number): number[][] {
  const size = Math.max(1, Math.floor(batchSize));
  // Stable sort: equal lengths keep their input order, so equal inputs always batch the same way.
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  let real = 0;
  for (const i of order) {
    const length = Math.max(1, lengths[i]);
    const padded = (current.length + 1) * length;
    if (current.length > 0 && (current.length === size || padded > MAX_PAD_RATIO * (real + length))) {
      batches.push(current);
      current = [];
      real = 0;
    }
    current.push(i);
    real += length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
