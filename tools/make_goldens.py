"""Makes the golden reference files of the parity tests (test/fixtures/golden/) without any of the project's code.

The engine must give what the Hugging Face pipelines give on the same weights. This script computes that reference
in Python, so that a bug in the TypeScript engine cannot also be in its expectation:

  ner       Hugging Face token-classification pipeline, aggregations none/simple/first/average/max (no stride), and
            stride 64 on a long text                                           -> ner-albert.json, ner-electra.json
  re        Hugging Face text-classification pipeline, top_k=None, on sentences marked with @CHEMICAL$ / @GENE$
                                                                               -> re-electra.json
  qa        extractive QA post-processing with the semantics of the transformers v4 question-answering pipeline
            (qa_reference below)                                               -> qa-albert.json
  re-pairs  the ChemProt candidate pairs (every chemical-gene pair inside one sentence, not overlapping, both
            mentions replaced by markers) on gold entities                     -> re-pairs.json
  utf16     adds start_utf16 / end_utf16 beside every code-point start / end of ner-*.json and qa-albert.json

Offsets: Python string indices are Unicode code points; JavaScript (and VS Code) count UTF-16 code units. Every
offset is written both ways (`start`/`end` and `start_utf16`/`end_utf16`), the UTF-16 one computed here by encoding
the text, so the tests compare against it instead of converting with the engine's own OffsetMap.

Requirements: `re-pairs` and `utf16` need only Python 3. `ner`, `re` and `qa` need torch and transformers (run them
where those are installed, e.g. `pip install torch transformers`) and a PyTorch checkpoint of the model whose ONNX
export the tests run (the fixture models were trained and exported by shared/tools/train_fixtures.py; for a BioM
model use its Hugging Face checkpoint). By default the inputs are read from the current golden file, so regenerated
files stay comparable:

  python3 tools/make_goldens.py ner --model CHECKPOINT --inputs test/fixtures/golden/ner-albert.json --out test/fixtures/golden/ner-albert.json
  python3 tools/make_goldens.py re --model CHECKPOINT --inputs test/fixtures/golden/re-electra.json --out test/fixtures/golden/re-electra.json
  python3 tools/make_goldens.py qa --model CHECKPOINT --inputs test/fixtures/golden/qa-albert.json --out test/fixtures/golden/qa-albert.json
  python3 tools/make_goldens.py re-pairs --chemprot test/fixtures/chemprot --limit 50 --out test/fixtures/golden/re-pairs.json
  python3 tools/make_goldens.py utf16 test/fixtures/golden/ner-albert.json test/fixtures/golden/ner-electra.json test/fixtures/golden/qa-albert.json

Known property of the current goldens: they were made with tokenizers 0.23.2, whose truncation "early exit"
(huggingface/tokenizers#1990) stops tokenizing after about one window, so stride windows covered only the first
~512 (NER) / ~384 (QA context) tokens of a long text. The tests compare long texts on that prefix only
(test/helpers/referencePrefix.ts); a newer tokenizers without the bug would cover the whole text.
"""
import argparse
import json
import re
import sys

# The ChemProt reference sentence rule: a sentence ends at . ! or ? followed by whitespace and then an upper-case
# letter, a digit, ( or [. src/core/text/sentences.ts must use the same rule (the re-pairs test checks it).
SENTENCE_SPLIT = r"(?<=[.!?])\s+(?=[A-Z0-9(\[])"
SENT_RE = re.compile(SENTENCE_SPLIT)
LABELS_RE = ["false", "CPR:3", "CPR:4", "CPR:5", "CPR:6", "CPR:9"]


def utf16_len(s):
    """UTF-16 code units of a Python string (a lone surrogate counts as one unit, as in JavaScript)."""
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def utf16_offset(text, code_point):
    return utf16_len(text[:code_point])


# ---------------------------------------------------------------- ChemProt pairs (no torch needed)
def read_chemprot(folder, split):
    """Documents of one split: text = title + " " + abstract, entities by id (code points), gold relations."""
    docs = {}
    with open(f"{folder}/{split}_abstracts.tsv", encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 3:
                continue
            docs[p[0]] = {"pmid": p[0], "text": p[1] + " " + p[2], "ents": {}, "rels": {}}
    with open(f"{folder}/{split}_entities.tsv", encoding="utf-8") as f:
        for line in f:
            pmid, tid, typ, s, e, m = line.rstrip("\n").split("\t")
            d = docs[pmid]
            s, e = int(s), int(e)
            assert d["text"][s:e] == m, (pmid, tid)
            # GENE-Y and GENE-N both pair as the gene.
            d["ents"][tid] = (s, e, "CHEMICAL" if typ == "CHEMICAL" else "GENE", m)
    with open(f"{folder}/{split}_gold_standard.tsv", encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 4:
                continue
            docs[p[0]]["rels"][(p[2].split(":")[1], p[3].split(":")[1])] = p[1]
    return list(docs.values())


def sentences(text):
    out, start = [], 0
    for m in SENT_RE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def re_examples(docs):
    """Every chemical-gene pair inside one sentence whose mentions do not overlap, in entity-file order, with both
    mentions replaced by @CHEMICAL$ / @GENE$ in the sentence; label = gold group or "false"."""
    ex = []
    for d in docs:
        text, ents = d["text"], d["ents"]
        for ss, se in sentences(text):
            inside = [(tid, v) for tid, v in ents.items() if v[0] >= ss and v[1] <= se]
            chems = [(t, v) for t, v in inside if v[2] == "CHEMICAL"]
            genes = [(t, v) for t, v in inside if v[2] == "GENE"]
            for ct, cv in chems:
                for gt, gv in genes:
                    if not (cv[1] <= gv[0] or gv[1] <= cv[0]):
                        continue
                    lab = d["rels"].get((ct, gt), "false")
                    if lab not in LABELS_RE:
                        lab = "false"
                    a, b = sorted([(cv[0], cv[1], "@CHEMICAL$"), (gv[0], gv[1], "@GENE$")])
                    s = text[ss:a[0]] + a[2] + text[a[1]:b[0]] + b[2] + text[b[1]:se]
                    ex.append({"text": s, "label": lab, "pmid": d["pmid"], "chem": ct, "gene": gt,
                               "chem_span": (cv[0], cv[1]), "gene_span": (gv[0], gv[1]), "sentence": (ss, se)})
    return ex


def make_re_pairs(chemprot, split, limit):
    docs = read_chemprot(chemprot, split)[:limit]
    texts = {d["pmid"]: d["text"] for d in docs}
    pairs = []
    for e in re_examples(docs):
        t = texts[e["pmid"]]
        u = lambda span: [utf16_offset(t, span[0]), utf16_offset(t, span[1])]  # noqa: E731
        pairs.append({"pmid": e["pmid"], "chemical": e["chem"], "gene": e["gene"], "label": e["label"],
                      "chemical_utf16": u(e["chem_span"]), "gene_utf16": u(e["gene_span"]),
                      "sentence_utf16": u(e["sentence"]), "text": e["text"]})
    return {
        "about": f"ChemProt candidate pairs of the reference construction (tools/make_goldens.py re_examples) on the "
                 f"gold entities of the first {len(docs)} {split} abstracts; offsets are UTF-16 code units.",
        "documents": [d["pmid"] for d in docs],
        "sentence_split": SENTENCE_SPLIT,
        "pairs": pairs,
    }


# ---------------------------------------------------------------- UTF-16 offsets beside code points
def add_utf16(golden):
    """Adds start_utf16/end_utf16 beside every start/end of a NER or QA golden file (in place)."""
    def mark(items, text):
        for it in items:
            if isinstance(it, dict) and "start" in it and "end" in it:
                it["start_utf16"] = utf16_offset(text, it["start"])
                it["end_utf16"] = utf16_offset(text, it["end"])

    if "texts" in golden:  # NER
        for results in golden["results"].values():
            if isinstance(results, list):
                for text, items in zip(golden["texts"], results):
                    mark(items, text)
        for items in golden.get("long", {}).values():
            if isinstance(items, list):
                mark(items, golden["long_text"])
    elif "inputs" in golden and golden["inputs"] and isinstance(golden["inputs"][0], dict):  # QA
        for inp, items in zip(golden["inputs"], golden["results"]):
            mark(items, inp["context"])
    return golden


# ---------------------------------------------------------------- model references (torch + transformers)
def load(kind, model_path):
    from transformers import (AutoModelForQuestionAnswering, AutoModelForSequenceClassification,
                              AutoModelForTokenClassification, AutoTokenizer)
    cls = {"ner": AutoModelForTokenClassification, "re": AutoModelForSequenceClassification,
           "qa": AutoModelForQuestionAnswering}[kind]
    return cls.from_pretrained(model_path).float().cpu().eval(), AutoTokenizer.from_pretrained(model_path)


def golden_ner(model, tok, texts, long_text):
    from transformers import pipeline
    pipe = pipeline("token-classification", model=model, tokenizer=tok, device=-1)
    out = {"texts": texts, "long_text": long_text, "results": {}, "long": {}}
    for strategy in ["none", "simple", "first", "average", "max"]:
        out["results"][strategy] = [pipe(t, aggregation_strategy=strategy) for t in texts]
    for strategy in ["simple", "first", "average", "max"]:  # "none" cannot merge overlapping windows
        out["long"][strategy] = pipe(long_text, aggregation_strategy=strategy, stride=64)
    return add_utf16(json.loads(json.dumps(out, default=float)))


def golden_re(model, tok, inputs):
    from transformers import pipeline
    pipe = pipeline("text-classification", model=model, tokenizer=tok, device=-1)
    return json.loads(json.dumps({"inputs": inputs, "results": pipe(inputs, top_k=None)}, default=float))


def qa_reference(model, tok, question, context, top_k=3, doc_stride=128, max_seq_len=384, max_question_len=64,
                 max_answer_len=30):
    """Extractive QA post-processing as in the transformers v4 question-answering pipeline: windows over the context
    with stride; per window softmax over start and end logits with non-context tokens masked (CLS kept for the null
    score), score = p_start * p_end for spans with start <= end < start + max_answer_len; answers of all windows
    merged, best first."""
    import numpy as np
    import torch
    enc = tok(question, context, truncation="only_second", max_length=max_seq_len, stride=doc_stride,
              return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")
    offsets = enc.pop("offset_mapping").tolist()
    enc.pop("overflow_to_sample_mapping", None)
    with torch.no_grad():
        out = model(**{k: v for k, v in enc.items() if k in ("input_ids", "attention_mask", "token_type_ids")})
    answers = []
    for i in range(len(offsets)):
        seq = enc.sequence_ids(i)
        p_mask = np.array([s != 1 for s in seq])
        p_mask[0] = False  # keep CLS
        start = out.start_logits[i].numpy().astype(np.float64)
        end = out.end_logits[i].numpy().astype(np.float64)
        start = np.where(p_mask, -10000.0, start)
        end = np.where(p_mask, -10000.0, end)
        start = np.exp(start - start.max())
        start /= start.sum()
        end = np.exp(end - end.max())
        end /= end.sum()
        outer = np.tril(np.triu(np.outer(start, end)), max_answer_len - 1)
        outer[0, :] = 0
        outer[:, 0] = 0
        flat = outer.flatten()
        k = min(top_k, int((flat > 0).sum())) if (flat > 0).any() else 0
        for idx in np.argsort(-flat)[:k]:
            s_i, e_i = np.unravel_index(idx, outer.shape)
            if seq[s_i] != 1 or seq[e_i] != 1:
                continue
            cs, ce = offsets[i][s_i][0], offsets[i][e_i][1]
            answers.append({"score": float(flat[idx]), "start": int(cs), "end": int(ce), "answer": context[cs:ce],
                            "window": i, "start_token": int(s_i), "end_token": int(e_i)})
    answers.sort(key=lambda x: -x["score"])
    return answers[:top_k]


def golden_qa(model, tok, inputs, params):
    results = [qa_reference(model, tok, it["question"], it["context"], **params) for it in inputs]
    return add_utf16({"params": params, "inputs": inputs, "results": results,
                      "note": "reference post-processing: qa_reference() in tools/make_goldens.py "
                              "(transformers v4 QA pipeline semantics)"})


# ---------------------------------------------------------------- command line
def write(path, data):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for kind in ("ner", "re", "qa"):
        p = sub.add_parser(kind)
        p.add_argument("--model", required=True, help="PyTorch checkpoint folder or hub id (transformers)")
        p.add_argument("--inputs", required=True, help="golden file whose inputs to reuse")
        p.add_argument("--out", required=True)
    p = sub.add_parser("re-pairs")
    p.add_argument("--chemprot", default="test/fixtures/chemprot")
    p.add_argument("--split", default="development")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--out", required=True)
    p = sub.add_parser("utf16")
    p.add_argument("files", nargs="+")
    a = ap.parse_args(argv)

    if a.cmd == "re-pairs":
        write(a.out, make_re_pairs(a.chemprot, a.split, a.limit))
    elif a.cmd == "utf16":
        for path in a.files:
            with open(path, encoding="utf-8") as f:
                golden = json.load(f)
            write(path, add_utf16(golden))
    else:
        with open(a.inputs, encoding="utf-8") as f:
            previous = json.load(f)
        model, tok = load(a.cmd, a.model)
        if a.cmd == "ner":
            data = golden_ner(model, tok, previous["texts"], previous["long_text"])
        elif a.cmd == "re":
            data = golden_re(model, tok, previous["inputs"])
        else:
            params = {k: previous["params"][k] for k in ("top_k", "doc_stride", "max_seq_len", "max_answer_len")}
            data = golden_qa(model, tok, previous["inputs"], params)
        write(a.out, data)


if __name__ == "__main__":
    main(sys.argv[1:])
