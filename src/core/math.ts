// Owns the numeric helpers every task shares: softmax (optionally over a mask) and argmax.

/** Softmax of `n` logits starting at `offset`, in float64 (the reference pipelines' numpy precision). */
export function softmax(data: ArrayLike<number>, offset = 0, n = data.length - offset): Float64Array {
  const out = new Float64Array(n);
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, data[offset + k]);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    out[k] = Math.exp(data[offset + k] - max);
    sum += out[k];
  }
  for (let k = 0; k < n; k++) out[k] /= sum;
  return out;
}

/** Index of the largest value; ties go to the lower index (numpy argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}
