"""(Copied from ../shared/tools/make_albert_xxlarge_onnx.py; --unshared added for ELECTRA-Large: its own weights per
layer, and no embedding projection when --emb equals --hidden. Used by `npm run bench:scale`.)
Write an ONNX graph with the shapes of BioM-ALBERT-xxlarge (ALBERT xxlarge: vocab 30000, embedding 128,
hidden 4096, 64 heads, FFN 16384, 12 layers sharing one set of weights) and random weights, with the
token-classification head of a 5-label NER model. For speed measurements only: its outputs mean nothing.
Usage: /usr/bin/python3 make_albert_xxlarge_onnx.py OUT.onnx [--layers 12] [--hidden 4096] [--ffn 16384] [--heads 64] [--int8]
--int8 writes the graph that onnxruntime's dynamic quantization produces (uint8 activations quantized at run time by
DynamicQuantizeLinear, int8 weights, MatMulInteger), i.e. what `model_quantized.onnx` of a real export looks like.
(needs Debian python3-onnx and python3-numpy)."""
import argparse
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ap = argparse.ArgumentParser()
ap.add_argument("out"); ap.add_argument("--layers", type=int, default=12); ap.add_argument("--hidden", type=int, default=4096)
ap.add_argument("--ffn", type=int, default=16384); ap.add_argument("--heads", type=int, default=64)
ap.add_argument("--int8", action="store_true"); ap.add_argument("--vocab", type=int, default=30000); ap.add_argument("--emb", type=int, default=128); ap.add_argument("--labels", type=int, default=5)
ap.add_argument("--unshared", action="store_true", help="one set of weights per layer (BERT/ELECTRA) instead of ALBERT's shared layer")
a = ap.parse_args()
H, F, NH, E = a.hidden, a.ffn, a.heads, a.emb
D = H // NH
rng = np.random.default_rng(0)
inits, nodes = [], []

W = {}
def w(name, *shape, scale=0.02):
    W[name] = (rng.standard_normal(shape) * scale).astype(np.float32)
    inits.append(numpy_helper.from_array(W[name], name)); return name

def c(name, arr):
    inits.append(numpy_helper.from_array(np.asarray(arr), name)); return name

def n(op, ins, outs, **kw):
    nodes.append(helper.make_node(op, ins, outs, **kw)); return outs[0]

w("word_emb", a.vocab, E); w("pos_emb", 512, E); w("type_emb", 2, E)
c("ln_e_g", np.ones(E, np.float32)); c("ln_e_b", np.zeros(E, np.float32))
if E != H:
    w("proj_w", E, H); c("proj_b", np.zeros(H, np.float32))
def layer_weights(p):
    for nm in ["q", "k", "v", "o"]:
        w(f"{p}{nm}_w", H, H); c(f"{p}{nm}_b", np.zeros(H, np.float32))
    w(f"{p}f1_w", H, F); c(f"{p}f1_b", np.zeros(F, np.float32)); w(f"{p}f2_w", F, H); c(f"{p}f2_b", np.zeros(H, np.float32))
    for ln in ["ln1", "ln2"]:
        c(f"{p}{ln}_g", np.ones(H, np.float32)); c(f"{p}{ln}_b", np.zeros(H, np.float32))
for L in (range(a.layers) if a.unshared else [None]):
    layer_weights(f"w{L}_" if L is not None else "")
w("cls_w", H, a.labels); c("cls_b", np.zeros(a.labels, np.float32))
c("zero", np.array(0, np.int64)); c("one", np.array(1, np.int64)); c("axes01", np.array([1], np.int64))
c("scale", np.array(1.0 / np.sqrt(D), np.float32)); c("neg", np.array(-1e4, np.float32)); c("onef", np.array(1.0, np.float32))
c("half", np.array(0.5, np.float32)); c("rsqrt2", np.array(1 / np.sqrt(2), np.float32))
c("heads_shape", np.array([0, 0, NH, D], np.int64)); c("merge_shape", np.array([0, 0, H], np.int64))

# embeddings
n("Shape", ["input_ids"], ["ids_shape"]); n("Gather", ["ids_shape", "one"], ["seq_len"], axis=0)
n("Range", ["zero", "seq_len", "one"], ["pos_ids"])
n("Gather", ["word_emb", "input_ids"], ["we"]); n("Gather", ["pos_emb", "pos_ids"], ["pe"]); n("Gather", ["type_emb", "token_type_ids"], ["te"])
n("Add", ["we", "pe"], ["e1"]); n("Add", ["e1", "te"], ["e2"])
n("LayerNormalization", ["e2", "ln_e_g", "ln_e_b"], ["e3"], axis=-1, epsilon=1e-12)
if E != H:
    n("MatMul", ["e3", "proj_w"], ["e4"]); h = n("Add", ["e4", "proj_b"], ["h0"])
else:
    h = "e3"
# mask: (1 - mask) * -1e4, shape [b,1,1,s]
n("Cast", ["attention_mask"], ["mf"], to=TensorProto.FLOAT); n("Sub", ["onef", "mf"], ["mi"]); n("Mul", ["mi", "neg"], ["mneg"])
n("Unsqueeze", ["mneg", "axes01"], ["m1"]); n("Unsqueeze", ["m1", "axes01"], ["mask4"])

quantized = set()
def dense(x, wn, bn, out):
    if not a.int8:
        n("MatMul", [x, wn], [out + "_mm"]); return n("Add", [out + "_mm", bn], [out])
    if wn not in quantized:  # symmetric per-tensor int8 weights, as quantize_dynamic does by default
        quantized.add(wn); sc = float(np.abs(W[wn]).max()) / 127
        c(wn + "_q", np.clip(np.round(W[wn] / sc), -127, 127).astype(np.int8)); c(wn + "_s", np.array(sc, np.float32))
        c(wn + "_zp", np.array(0, np.int8))
    n("DynamicQuantizeLinear", [x], [out + "_xq", out + "_xs", out + "_xzp"])
    n("MatMulInteger", [out + "_xq", wn + "_q", out + "_xzp", wn + "_zp"], [out + "_mi"])
    n("Cast", [out + "_mi"], [out + "_mf"], to=TensorProto.FLOAT); n("Mul", [out + "_xs", wn + "_s"], [out + "_sc"])
    n("Mul", [out + "_mf", out + "_sc"], [out + "_mm"]); return n("Add", [out + "_mm", bn], [out])

for L in range(a.layers):
    p = f"l{L}_"
    wp = f"w{L}_" if a.unshared else ""
    q, k, v = (dense(h, f"{wp}{t}_w", f"{wp}{t}_b", p + t) for t in "qkv")
    def heads(x, tr):
        n("Reshape", [x, "heads_shape"], [x + "_r"]); return n("Transpose", [x + "_r"], [x + "_t"], perm=tr)
    qh = heads(q, [0, 2, 1, 3]); kh = heads(k, [0, 2, 3, 1]); vh = heads(v, [0, 2, 1, 3])
    n("MatMul", [qh, kh], [p + "s"]); n("Mul", [p + "s", "scale"], [p + "ss"]); n("Add", [p + "ss", "mask4"], [p + "sm"])
    n("Softmax", [p + "sm"], [p + "pr"], axis=-1); n("MatMul", [p + "pr", vh], [p + "ctx"])
    n("Transpose", [p + "ctx"], [p + "ctxt"], perm=[0, 2, 1, 3]); n("Reshape", [p + "ctxt", "merge_shape"], [p + "ctxm"])
    o = dense(p + "ctxm", wp + "o_w", wp + "o_b", p + "o"); n("Add", [o, h], [p + "r1"])
    h1 = n("LayerNormalization", [p + "r1", wp + "ln1_g", wp + "ln1_b"], [p + "h1"], axis=-1, epsilon=1e-12)
    f = dense(h1, wp + "f1_w", wp + "f1_b", p + "f1")
    n("Mul", [f, "rsqrt2"], [p + "g1"]); n("Erf", [p + "g1"], [p + "g2"]); n("Add", [p + "g2", "onef"], [p + "g3"])
    n("Mul", [f, p + "g3"], [p + "g4"]); n("Mul", [p + "g4", "half"], [p + "g5"])
    f2 = dense(p + "g5", wp + "f2_w", wp + "f2_b", p + "f2"); n("Add", [f2, h1], [p + "r2"])
    h = n("LayerNormalization", [p + "r2", wp + "ln2_g", wp + "ln2_b"], [p + "h2"], axis=-1, epsilon=1e-12)
dense(h, "cls_w", "cls_b", "logits")
ins = [helper.make_tensor_value_info(x, TensorProto.INT64, ["batch_size", "sequence_length"]) for x in ["input_ids", "attention_mask", "token_type_ids"]]
outs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "sequence_length", a.labels])]
if a.int8:  # the float copies of quantized weights are not used any more
    inits = [t for t in inits if t.name not in quantized]
g = helper.make_graph(nodes, "electra_large_shaped" if a.unshared else "albert_xxlarge_shaped", ins, outs, inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], producer_name="biom-scale-bench")
m.ir_version = 8
onnx.save_model(m, a.out, save_as_external_data=False) if m.ByteSize() < 2**31 - 2**20 else onnx.save_model(m, a.out, save_as_external_data=True, location=a.out.split("/")[-1] + ".data")
print("params", sum(int(np.prod(t.dims)) for t in inits), "->", a.out)
