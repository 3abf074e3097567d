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

// ---- Models whose logits are known constants, so expected scores can be computed by hand in a test. ----

function floatTensor(name: string, values: number[]): number[] {
  const data = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => data.writeFloatLE(v, i * 4));
  // TensorProto: dims = 1, data_type = 2 (1: FLOAT), name = 8, raw_data = 9.
  return [...intField(1, values.length), ...intField(2, 1), ...field(8, name), ...field(9, [...data])];
}

function floatValueInfo(name: string, dims: (string | number)[]): number[] {
  const shape = dims.flatMap((d) => field(1, typeof d === 'string' ? field(2, d) : intField(1, d)));
  const tensorType = [...intField(1, 1), ...field(2, shape)];
  return [...field(1, name), ...field(2, field(1, tensorType))];
}

function intAttribute(name: string, value: number): number[] {
  return [...field(1, name), ...intField(3, value), ...intField(20, 2)];
}

function intsAttribute(name: string, values: number[]): number[] {
  return [...field(1, name), ...values.flatMap((v) => intField(8, v)), ...intField(20, 7)];
}

function node(op: string, inputs: string[], outputs: string[], attributes: number[][] = []): number[] {
  return [
    ...inputs.flatMap((i) => field(1, i)),
    ...outputs.flatMap((o) => field(2, o)),
    ...field(4, op),
    ...attributes.flatMap((a) => field(5, a)),
  ];
}

function model(nodes: number[][], initializers: number[][], outputs: number[][]): Buffer {
  const graph = [
    ...nodes.flatMap((n) => field(1, n)),
    ...field(2, 'constant_logits'),
    ...initializers.flatMap((t) => field(5, t)),
    ...field(11, valueInfo('input_ids')),
    ...outputs.flatMap((o) => field(12, o)),
  ];
  const opset = [...field(1, ''), ...intField(2, 11)];
  return Buffer.from([...intField(1, 6), ...field(7, graph), ...field(8, opset)]);
}

/** zeros[batch, sequence] = float(input_ids) * 0: a tensor of the input's shape to broadcast constants over. */
const ZEROS = [node('Cast', ['input_ids'], ['ids_f'], [intAttribute('to', 1)]), node('Mul', ['ids_f', 'zero'], ['zeros'])];

/** A token classifier whose logits are `perClass` for every token: logits [batch, sequence, perClass.length]. */
export function constantTokenClassifier(perClass: number[]): Buffer {
  return model(
    [...ZEROS, node('Unsqueeze', ['zeros'], ['zeros3'], [intsAttribute('axes', [2])]), node('Add', ['zeros3', 'bias'], ['logits'])],
    [floatTensor('zero', [0]), floatTensor('bias', perClass)],
    [floatValueInfo('logits', ['batch', 'sequence', perClass.length])],
  );
}

/** A sequence classifier whose logits are `perClass` for every input: logits [batch, perClass.length]. */
export function constantSequenceClassifier(perClass: number[]): Buffer {
  return model(
    [
      ...ZEROS,
      node('ReduceMean', ['zeros'], ['zeros2'], [intsAttribute('axes', [1]), intAttribute('keepdims', 1)]),
      node('Add', ['zeros2', 'bias'], ['logits']),
    ],
    [floatTensor('zero', [0]), floatTensor('bias', perClass)],
    [floatValueInfo('logits', ['batch', perClass.length])],
  );
}

/**
 * A QA model whose start and end logits are `value` at every token: outputs `names` (start_logits, end_logits by
 * default), each [batch, sequence].
 */
export function constantQaModel(value: number, names: string[] = ['start_logits', 'end_logits']): Buffer {
  return model(
    [...ZEROS, ...names.map((name) => node('Add', ['zeros', 'value'], [name]))],
    [floatTensor('zero', [0]), floatTensor('value', [value])],
    names.map((name) => floatValueInfo(name, ['batch', 'sequence'])),
  );
}
