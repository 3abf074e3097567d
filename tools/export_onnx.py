#!/usr/bin/env python3
"""Export a fine-tuned Hugging Face checkpoint to a BioM Annotator model folder.

Writes config.json (architectures, id2label), tokenizer.json + tokenizer_config.json (fast tokenizer),
onnx/model.onnx (fp32) and onnx/model_quantized.onnx (int8, dynamic quantization), then checks that ONNX Runtime and
PyTorch agree on several batch/sequence shapes with padding. A file that disagrees is deleted and the script fails:
with transformers 5.x the TorchScript exporter (dynamo=False) produced ALBERT/ELECTRA graphs that ran but were wrong,
so only the dynamo exporter is used.

  python3 tools/export_onnx.py --model sultan/BioM-ELECTRA-Large-SQuAD2 --out models/biom-electra-squad2
  python3 tools/export_onnx.py --model runs/chemprot-re/checkpoint --out models/biom-re --from-tf  # TF weights

Needs: torch>=2.5, transformers, onnx, onnxscript, onnxruntime (and sentencepiece + protobuf for ALBERT tokenizers).
"""
import argparse
import json
import os
import sys

HEADS = {"ForTokenClassification": "ner", "ForSequenceClassification": "relations", "ForQuestionAnswering": "qa"}
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def load_checkpoint(name, revision=None, from_tf=False):
    """Model with a task head + fast tokenizer; refuses checkpoints without a head (their head would be random)."""
    import transformers
    from transformers import AutoConfig, AutoTokenizer

    config = AutoConfig.from_pretrained(name, revision=revision)
    arch = (config.architectures or ["?"])[0]
    task = next((t for suffix, t in HEADS.items() if arch.endswith(suffix)), None)
    if task is None:
        sys.exit(f"{name} is a {arch} checkpoint without a token/sequence-classification or QA head. "
                 f"Fine-tune it first: python3 tools/finetune.py --help")
    model = getattr(transformers, arch).from_pretrained(name, revision=revision, from_tf=from_tf)
    tok = AutoTokenizer.from_pretrained(name, revision=revision, use_fast=True)
    if not tok.is_fast:
        sys.exit(f"{name}: no fast tokenizer (tokenizer.json) could be built; install sentencepiece and protobuf")
    return model, tok, task


def export(model, tok, task, out, tolerance=2e-3, quantize=True):
    """Writes the model folder; returns the measured differences. Raises when ONNX and PyTorch disagree."""
    import torch

    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    model = model.float().cpu().eval()
    model.config.architectures = [type(model).__name__]
    model.config.save_pretrained(out)
    tok.save_pretrained(out)  # tokenizer.json + tokenizer_config.json (the engine reads tokenizer.json)
    if not os.path.exists(os.path.join(out, "tokenizer.json")):
        raise RuntimeError("the tokenizer did not write tokenizer.json; use a fast tokenizer")

    inputs = INPUTS  # BERT, ALBERT and ELECTRA all take token type ids; the engine feeds what the graph declares
    outputs = ["start_logits", "end_logits"] if task == "qa" else ["logits"]
    max_len = min(512, getattr(model.config, "max_position_embeddings", 512))

    class Wrap(torch.nn.Module):
        """Fixed positional signature and plain tensor outputs, which the exporter needs."""

        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids):
            o = self.m(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids, return_dict=True)
            return (o.start_logits, o.end_logits) if task == "qa" else o.logits

    wrapped = Wrap(model)
    ids = torch.randint(5, 100, (2, 17))
    dummy = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": torch.zeros_like(ids)}
    dummy["attention_mask"][1, 12:] = 0
    batch, seq = torch.export.Dim("batch_size"), torch.export.Dim("sequence_length", max=max_len)
    path = os.path.join(out, "onnx", "model.onnx")
    big = sum(p.numel() * p.element_size() for p in model.parameters()) > 1.8e9  # protobuf's 2 GB limit
    torch.onnx.export(wrapped, tuple(dummy[n] for n in inputs), path, input_names=inputs, output_names=outputs,
                      dynamic_shapes={n: {0: batch, 1: seq} for n in inputs}, dynamo=True, external_data=big)

    fp32 = compare(wrapped, path, inputs, task, max_len, tok.vocab_size)
    print(f"fp32: max |onnx - torch| = {fp32['max_abs_diff']:.2e}, argmax agreement {fp32['agreement']:.4f}")
    if not fp32["max_abs_diff"] <= tolerance:
        for f in os.listdir(os.path.join(out, "onnx")):
            os.remove(os.path.join(out, "onnx", f))
        raise RuntimeError(f"ONNX disagrees with PyTorch (max |diff| {fp32['max_abs_diff']:.3g} > {tolerance}); removed")
    report = {"fp32": fp32}
    if quantize:
        try:
            report["int8"] = quantize_int8(path, big, wrapped, inputs, task, max_len, tok.vocab_size)
        except Exception as e:  # fp32 is already checked and usable; int8 is an optional extra
            print(f"WARNING: int8 quantization failed, only fp32 written: {e!r:.300}")
            report["int8_error"] = repr(e)[:300]
    if "int8" in report:
        # int8 logits differ by design; what matters is that predictions mostly agree.
        print(f"int8: max |onnx - torch| = {report['int8']['max_abs_diff']:.2e}, "
              f"argmax agreement {report['int8']['agreement']:.4f}")
        if report["int8"]["agreement"] < 0.9:
            print("WARNING: int8 predictions often differ from fp32; prefer the fp32 file for this model")
    with open(os.path.join(out, "EXPORT.json"), "w") as f:
        json.dump(report, f, indent=1)
    return report


def quantize_int8(path, big, wrapped, inputs, task, max_len, vocab_size):
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The dynamo exporter's recorded intermediate shapes can contradict ONNX shape inference (seen on sequence
    # classification heads), which makes quantize_dynamic fail; quantize a copy without them.
    graph = onnx.load(path)
    del graph.graph.value_info[:]
    plain = path + ".plain.onnx"
    onnx.save(graph, plain, save_as_external_data=big, location=os.path.basename(plain) + ".data")
    qpath = os.path.join(os.path.dirname(path), "model_quantized.onnx")
    try:
        quantize_dynamic(plain, qpath, weight_type=QuantType.QInt8, use_external_data_format=big)
    finally:
        for f in (plain, plain + ".data"):
            if os.path.exists(f):
                os.remove(f)
    return compare(wrapped, qpath, inputs, task, max_len, vocab_size)


def compare(wrapped, path, inputs, task, max_len, vocab_size):
    """Runs ONNX Runtime and PyTorch on several shapes, the last row padded; compares real positions only."""
    import numpy as np
    import onnxruntime as ort
    import torch

    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    worst, agree, total = 0.0, 0, 0
    torch.manual_seed(0)
    for b, s, pad in [(1, 7, 0), (3, 41, 9), (2, min(300, max_len), 120), (4, min(128, max_len), 0)]:
        feed = {"input_ids": torch.randint(5, max(6, min(vocab_size, 30000)), (b, s))}
        feed["attention_mask"] = torch.ones_like(feed["input_ids"])
        if pad:
            feed["attention_mask"][-1, s - pad:] = 0
        feed["token_type_ids"] = torch.zeros_like(feed["input_ids"])
        if task == "qa":
            feed["token_type_ids"][:, s // 2:] = 1
        got = sess.run(None, {n: feed[n].numpy() for n in inputs})
        with torch.no_grad():
            ref = wrapped(*(feed[n] for n in inputs))
        for g, r in zip(got, ref if isinstance(ref, tuple) else (ref,)):
            g, r = torch.from_numpy(np.asarray(g)), r.float()
            if task != "relations":  # token outputs: padded positions are meaningless
                mask = feed["attention_mask"].bool()
                g, r = g[mask], r[mask]
            worst = max(worst, float((g - r).abs().max()))
            if task == "qa":
                agree += int(g.argmax() == r.argmax()); total += 1
            else:
                agree += int((g.argmax(-1) == r.argmax(-1)).sum()); total += g.shape[0]
    return {"max_abs_diff": worst, "agreement": agree / max(1, total)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="hub id or local folder of a fine-tuned checkpoint")
    ap.add_argument("--out", required=True, help="model folder to write")
    ap.add_argument("--revision")
    ap.add_argument("--from-tf", action="store_true", help="the checkpoint has TensorFlow weights (tf_model.h5)")
    ap.add_argument("--tolerance", type=float, default=2e-3, help="max |ONNX - PyTorch| allowed for fp32")
    ap.add_argument("--no-int8", action="store_true", help="skip onnx/model_quantized.onnx")
    a = ap.parse_args()
    model, tok, task = load_checkpoint(a.model, a.revision, a.from_tf)
    export(model, tok, task, a.out, a.tolerance, quantize=not a.no_int8)
    print(f"wrote {a.out}; check it with: biom models verify {a.out}")


if __name__ == "__main__":
    main()
