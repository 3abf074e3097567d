// Writes a minimal valid ONNX file (one Identity node) with chosen input names, to test model-contract errors.

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function field(no: number, payload: number[] | string): number[] {
  const bytes = typeof payload === 'string' ? [...Buffer.from(payload, 'utf8')] : payload;
  return [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
}

function intField(no: number, value: number): number[] {
  return [...varint(no << 3), ...varint(value)];
}

function valueInfo(name: string): number[] {
  const dims = [...field(1, field(2, 'batch')), ...field(1, field(2, 'sequence'))];
  const tensorType = [...intField(1, 7), ...field(2, dims)];
  return [...field(1, name), ...field(2, field(1, tensorType))];
}

/** An ONNX model whose single input `inputName` (int64 [batch, sequence]) is passed through as `outputName`. */
export function identityModel(inputName: string, outputName = 'logits'): Buffer {
  const node = [...field(1, inputName), ...field(2, outputName), ...field(4, 'Identity')];
  const graph = [...field(1, node), ...field(2, 'g'), ...field(11, valueInfo(inputName)), ...field(12, valueInfo(outputName))];
  const opset = [...field(1, ''), ...intField(2, 13)];
  return Buffer.from([...intField(1, 8), ...field(7, graph), ...field(8, opset)]);
}

/**
 * An ONNX model with inputs `inputNames` (int64 [batch, sequence]) whose output `outputName` is the first input cast
 * to float: a float output of rank 2, i.e. the wrong rank for token classification.
 */
export function castModel(inputNames: string[], outputName = 'logits'): Buffer {
  const toFloat = [...field(1, 'to'), ...intField(20, 2), ...intField(3, 1)];
  const node = [...field(1, inputNames[0]), ...field(2, outputName), ...field(4, 'Cast'), ...field(5, toFloat)];
  const floatInfo = (name: string): number[] => {
    const dims = [...field(1, field(2, 'batch')), ...field(1, field(2, 'sequence'))];
    return [...field(1, name), ...field(2, field(1, [...intField(1, 1), ...field(2, dims)]))];
  };
  const inputs = inputNames.flatMap((name) => field(11, valueInfo(name)));
  const graph = [...field(1, node), ...field(2, 'g'), ...inputs, ...field(12, floatInfo(outputName))];
  const opset = [...field(1, ''), ...intField(2, 13)];
  return Buffer.from([...intField(1, 8), ...field(7, graph), ...field(8, opset)]);
}
