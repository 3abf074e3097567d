#!/usr/bin/env python3
"""Fine-tune a BioM checkpoint for one BioM Annotator task, evaluate it, and export it with tools/export_onnx.py.

  relations  ChemProt (BLURB style): every chemical/gene pair inside one sentence, both mentions replaced by
             @CHEMICAL$ / @GENE$; labels false, CPR:3, CPR:4, CPR:5, CPR:6, CPR:9. Data: a ChemProt folder with
             {split}_abstracts.tsv, {split}_entities.tsv, {split}_gold_standard.tsv.
  ner        CoNLL files (token<TAB>IOB label per line, blank line between sentences), e.g. BC5CDR or BC2GM;
             or --chemprot DIR for CHEMICAL/GENE mentions from the ChemProt entity files.
  qa         SQuAD-format JSON (v1 or v2 with unanswerable questions).

  python3 tools/finetune.py relations --model sultan/BioM-ELECTRA-Large-Discriminator \\
      --chemprot data/chemprot --out models/biom-electra-chemprot
  python3 tools/finetune.py ner --model sultan/BioM-ELECTRA-Large-Discriminator \\
      --train data/bc5cdr/train.tsv --dev data/bc5cdr/devel.tsv --out models/biom-electra-bc5cdr
  python3 tools/finetune.py qa --model sultan/BioM-ELECTRA-Large-SQuAD2 --train bioasq-train.json --dev bioasq-dev.json \\
      --out models/biom-electra-bioasq

Needs: torch, transformers, accelerate, onnx, onnxscript, onnxruntime (sentencepiece + protobuf for ALBERT).
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_onnx import export  # noqa: E402

RE_LABELS = ["false", "CPR:3", "CPR:4", "CPR:5", "CPR:6", "CPR:9"]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])")
WORD = re.compile(r"\w+|[^\w\s]")


# ---------------------------------------------------------------- data
def read_chemprot(folder, split):
    """Documents {pmid, text, ents: id -> (start, end, CHEMICAL|GENE, mention), rels: (arg1, arg2) -> CPR:n}."""
    docs = {}
    with open(os.path.join(folder, f"{split}_abstracts.tsv"), encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 3:
                docs[p[0]] = {"pmid": p[0], "text": p[1] + " " + p[2], "ents": {}, "rels": {}}
    with open(os.path.join(folder, f"{split}_entities.tsv"), encoding="utf-8") as f:
        for line in f:
            pmid, tid, typ, s, e, m = line.rstrip("\n").split("\t")
            docs[pmid]["ents"][tid] = (int(s), int(e), "CHEMICAL" if typ == "CHEMICAL" else "GENE", m)
    gold = os.path.join(folder, f"{split}_gold_standard.tsv")
    if os.path.exists(gold):
        with open(gold, encoding="utf-8") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                docs[p[0]]["rels"][(p[2].split(":")[1], p[3].split(":")[1])] = p[1]
    return list(docs.values())


def sentences(text):
    start = 0
    for m in SENTENCE_END.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def relation_examples(docs):
    """The pair construction of tools/train_fixtures.py (re_examples), which the engine reproduces at inference."""
    out = []
    for d in docs:
        text = d["text"]
        for ss, se in sentences(text):
            inside = [(t, v) for t, v in d["ents"].items() if v[0] >= ss and v[1] <= se]
            for ct, cv in ((t, v) for t, v in inside if v[2] == "CHEMICAL"):
                for gt, gv in ((t, v) for t, v in inside if v[2] == "GENE"):
                    if not (cv[1] <= gv[0] or gv[1] <= cv[0]):
                        continue
                    label = d["rels"].get((ct, gt), "false")
                    a, b = sorted([(cv[0], cv[1], "@CHEMICAL$"), (gv[0], gv[1], "@GENE$")])
                    s = text[ss:a[0]] + a[2] + text[a[1]:b[0]] + b[2] + text[b[1]:se]
                    out.append({"text": s, "label": RE_LABELS.index(label if label in RE_LABELS else "false")})
    return out


def read_conll(path):
    """[(words, tags)] from token<TAB>label lines."""
    sents, words, tags = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if not line.strip():
                if words:
                    sents.append((words, tags))
                words, tags = [], []
            else:
                words.append(parts[0]); tags.append(parts[-1])
    if words:
        sents.append((words, tags))
    return sents


def chemprot_iob(docs):
    """Word-level IOB sentences from ChemProt mentions (outermost mention wins where they overlap)."""
    sents = []
    for d in docs:
        spans = []
        for s, e, t, _ in sorted(d["ents"].values(), key=lambda x: (-(x[1] - x[0]), x[0])):
            if all(e <= s2 or s >= e2 for s2, e2, _ in spans):
                spans.append((s, e, t))
        for ss, se in sentences(d["text"]):
            words, tags, prev = [], [], None
            for m in WORD.finditer(d["text"], ss, se):
                hit = next((k for k, (s, e, _) in enumerate(spans) if s <= m.start() < e), None)
                tags.append("O" if hit is None else ("I-" if hit == prev else "B-") + spans[hit][2])
                words.append(m.group()); prev = hit
            if words:
                sents.append((words, tags))
    return sents


def read_squad(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)["data"]
    return [{"question": q["question"], "context": p["context"], "answers": q.get("answers", [])}
            for article in data for p in article["paragraphs"] for q in p["qas"]]


# ---------------------------------------------------------------- features
def ner_features(sents, tok, labels, max_len):
    """Label the first sub-token of each word; other sub-tokens and specials are ignored (-100)."""
    enc = tok([w for w, _ in sents], is_split_into_words=True, truncation=True, max_length=max_len)
    feats = []
    for i, (_, tags) in enumerate(sents):
        prev, lab = None, []
        for w in enc.word_ids(i):
            lab.append(-100 if w is None or w == prev else labels.index(tags[w]))
            prev = w
        feats.append({"input_ids": enc["input_ids"][i], "attention_mask": enc["attention_mask"][i],
                      "token_type_ids": [0] * len(lab), "labels": lab})
    return feats


def qa_features(examples, tok, max_len=384, stride=128):
    enc = tok([e["question"] for e in examples], [e["context"] for e in examples], truncation="only_second",
              max_length=max_len, stride=stride, return_overflowing_tokens=True, return_offsets_mapping=True,
              padding="max_length")
    feats = []
    for i, offsets in enumerate(enc["offset_mapping"]):
        ex = examples[enc["overflow_to_sample_mapping"][i]]
        seq = enc.sequence_ids(i)
        start = end = 0  # CLS: no answer in this window
        if ex["answers"]:
            a0 = ex["answers"][0]["answer_start"]; a1 = a0 + len(ex["answers"][0]["text"])
            ctx = [k for k, s in enumerate(seq) if s == 1]
            if offsets[ctx[0]][0] <= a0 and offsets[ctx[-1]][1] >= a1:
                start = next(k for k in ctx if offsets[k][1] > a0)
                end = max(k for k in ctx if offsets[k][0] < a1)
        feats.append({"input_ids": enc["input_ids"][i], "attention_mask": enc["attention_mask"][i],
                      "token_type_ids": enc["token_type_ids"][i] if "token_type_ids" in enc else [0] * max_len,
                      "start_positions": start, "end_positions": end})
    return feats


# ---------------------------------------------------------------- evaluation
def micro_f1(gold, pred, negative):
    tp = sum(1 for g, p in zip(gold, pred) if p == g and p != negative)
    fp = sum(1 for g, p in zip(gold, pred) if p != negative and p != g)
    fn = sum(1 for g, p in zip(gold, pred) if g != negative and p != g)
    pr, rc = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return round(2 * pr * rc / max(1e-9, pr + rc), 4)


def entity_spans(tags):
    spans, start = set(), None
    for k, t in enumerate(tags + ["O"]):
        if start is not None and not (t.startswith("I-") and t[2:] == tags[start][2:]):
            spans.add((start, k, tags[start][2:])); start = None
        if t.startswith("B-") or (t.startswith("I-") and start is None):
            start = k
    return spans


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("task", choices=["relations", "ner", "qa"])
    ap.add_argument("--model", required=True, help="BioM checkpoint (hub id or local folder)")
    ap.add_argument("--out", required=True, help="model folder to write (checkpoint in OUT/checkpoint)")
    ap.add_argument("--chemprot", help="ChemProt folder (relations; or NER over ChemProt mentions)")
    ap.add_argument("--train", help="CoNLL (ner) or SQuAD JSON (qa) training file")
    ap.add_argument("--dev", help="CoNLL (ner) or SQuAD JSON (qa) development file")
    ap.add_argument("--train-split", default="training"); ap.add_argument("--dev-split", default="development")
    ap.add_argument("--epochs", type=float, default=3); ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--batch-size", type=int, default=16); ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--max-steps", type=int, default=-1, help="stop early (smoke tests)")
    ap.add_argument("--limit", type=int, help="use only the first N training examples")
    ap.add_argument("--from-tf", action="store_true"); ap.add_argument("--no-int8", action="store_true")
    a = ap.parse_args()

    import numpy as np
    import torch
    from transformers import (AutoModelForQuestionAnswering, AutoModelForSequenceClassification, AutoModelForTokenClassification,
                              AutoTokenizer, DataCollatorForTokenClassification, DataCollatorWithPadding, Trainer,
                              TrainingArguments, default_data_collator)

    tok = AutoTokenizer.from_pretrained(a.model, use_fast=True)
    if a.task == "relations":
        if not a.chemprot:
            sys.exit("relations needs --chemprot DIR")
        labels = RE_LABELS
        train_ex, dev_ex = (relation_examples(read_chemprot(a.chemprot, s)) for s in (a.train_split, a.dev_split))
        enc = lambda ex: [{**tok(e["text"], truncation=True, max_length=a.max_len), "labels": e["label"]} for e in ex]
        train, dev = enc(train_ex[:a.limit]), enc(dev_ex)
        head, collator = AutoModelForSequenceClassification, DataCollatorWithPadding(tok)
    elif a.task == "ner":
        if a.chemprot:
            train_s, dev_s = (chemprot_iob(read_chemprot(a.chemprot, s)) for s in (a.train_split, a.dev_split))
        elif a.train and a.dev:
            train_s, dev_s = read_conll(a.train), read_conll(a.dev)
        else:
            sys.exit("ner needs --train and --dev CoNLL files, or --chemprot DIR")
        types = sorted({t[2:] for _, tags in train_s for t in tags if t != "O"})
        labels = ["O"] + [f"{p}-{t}" for t in types for p in "BI"]
        dev_s = [(w, [t if t in labels else "O" for t in tags]) for w, tags in dev_s]
        train, dev = ner_features(train_s[:a.limit], tok, labels, a.max_len), ner_features(dev_s, tok, labels, a.max_len)
        head, collator = AutoModelForTokenClassification, DataCollatorForTokenClassification(tok)
    else:
        if not (a.train and a.dev):
            sys.exit("qa needs --train and --dev SQuAD JSON files")
        labels = None
        dev_ex = read_squad(a.dev)
        train, dev = qa_features(read_squad(a.train)[:a.limit], tok), qa_features(dev_ex, tok)
        head, collator = AutoModelForQuestionAnswering, default_data_collator

    kwargs = {} if labels is None else {"num_labels": len(labels), "id2label": dict(enumerate(labels)),
                                        "label2id": {l: i for i, l in enumerate(labels)}, "ignore_mismatched_sizes": True}
    model = head.from_pretrained(a.model, from_tf=a.from_tf, **kwargs)
    bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    args = TrainingArguments(output_dir=os.path.join(a.out, "checkpoint"), num_train_epochs=a.epochs, learning_rate=a.lr,
                             per_device_train_batch_size=a.batch_size, per_device_eval_batch_size=a.batch_size * 2,
                             weight_decay=0.01, max_steps=a.max_steps, save_strategy="no",
                             logging_steps=50, report_to=[], bf16=bf16, seed=42)
    trainer = Trainer(model=model, args=args, train_dataset=train, data_collator=collator)
    trainer.train()
    trainer.save_model(args.output_dir); tok.save_pretrained(args.output_dir)

    pred = trainer.predict(dev)
    if a.task == "relations":
        metrics = {"micro_f1": micro_f1([f["labels"] for f in dev], list(pred.predictions.argmax(-1)), 0)}
    elif a.task == "ner":
        gold, found = set(), set()
        for i, (f, p) in enumerate(zip(dev, pred.predictions.argmax(-1))):
            keep = [k for k, l in enumerate(f["labels"]) if l != -100]
            gold |= {(i,) + s for s in entity_spans([labels[f["labels"][k]] for k in keep])}
            found |= {(i,) + s for s in entity_spans([labels[p[k]] for k in keep])}
        pr, rc = len(gold & found) / max(1, len(found)), len(gold & found) / max(1, len(gold))
        metrics = {"entity_f1": round(2 * pr * rc / max(1e-9, pr + rc), 4)}
    else:
        start, end = pred.predictions[:2] if isinstance(pred.predictions, tuple) else pred.predictions
        hits = [int(np.argmax(s) == f["start_positions"] and np.argmax(e) == f["end_positions"])
                for s, e, f in zip(start, end, dev)]
        metrics = {"window_exact_span": round(sum(hits) / max(1, len(hits)), 4)}
    print("dev:", json.dumps(metrics))

    report = export(trainer.model, tok, a.task, a.out, quantize=not a.no_int8)
    with open(os.path.join(a.out, "MODEL_CARD.md"), "w") as f:
        f.write(f"# {os.path.basename(os.path.abspath(a.out))}\n\nFine-tuned from `{a.model}` with tools/finetune.py "
                f"({a.task}).\n\nDevelopment metrics: `{json.dumps(metrics)}`\n\nExport check: `{json.dumps(report)}`\n")
    print(f"wrote {a.out}; check it with: biom models verify {a.out}")


if __name__ == "__main__":
    main()
