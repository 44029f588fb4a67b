#!/usr/bin/env python3
"""Writes Tests/InitiumNNTests/Fixtures/transformer_parity.json: forward and backward references
for Initium's gpt: and bert: families from plain PyTorch (torch 1.13, float64).

Hugging Face `transformers` is not installed here, so both networks are written out below with
the same computations and tensor names as their sources:
- GPT: karpathy/nanoGPT `model.py` (CausalSelfAttention: fused c_attn split q|k|v, heads
  contiguous, scale 1/sqrt(head_dim), causal mask; MLP: c_fc -> exact GELU -> c_proj; Block:
  x + attn(ln_1(x)), x + mlp(ln_2(x)); GPT.forward: wte(idx) + wpe(pos), blocks, ln_f, lm_head
  tied to wte, LayerNorm eps 1e-5). The post-LN variant is LN(x + f(x)) and DeepNorm is
  LN(alpha*x + f(x)) with alpha = (2N)^(1/4) (Wang et al. 2022, decoder-only), both without ln_f.
  One variant uses separate q_proj/k_proj/v_proj and an untied lm_head.
- BERT: huggingface/transformers `models/bert/modeling_bert.py` (BertEmbeddings: word + position
  + token_type(0), LayerNorm; BertSelfAttention with the additive mask (1 - mask)*finfo.min;
  BertSelfOutput: LN(dense(h) + x); BertIntermediate: gelu(dense); BertOutput: LN(dense(h) + a);
  BertPooler: tanh(dense(h[:, 0]))), LayerNorm eps 1e-12, plus a `classifier` Linear on either
  the pooler output ([CLS] pooling) or sentence-transformers' mean pooling over the attention mask.

Every parameter is a hash rule of scripts/hashed_values.py under Initium's (= PyTorch's) name;
the fixture stores the rules, the token ids, the labels, the mean cross-entropy, the logits and
every parameter's gradient as summaries (sampled entries, a hashed projection, the norm).
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hashed_values import hashed_values, rule  # noqa: E402

SAMPLES = 64
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "InitiumNNTests", "Fixtures",
                   "transformer_parity.json")


def summary(name, t, salt):
    g = t.detach().flatten().numpy().astype(np.float64)
    n = g.size
    stride = -(-n // SAMPLES)
    h = hashed_values(n, salt, 0.0, 1.0).astype(np.float64)
    return dict(name=name, stride=stride, entries=[float("%.12g" % v) for v in g[list(range(0, n, stride))]],
                projection=float(np.dot(g, h)), norm=float(np.linalg.norm(g)), salt=salt)


def parameters(shapes):
    """Hashed float64 leaf tensors by name: weights U(±1/sqrt(fan_in)), tables U(±1),
    norm gains 1 ± 0.2, biases and norm shifts ± 0.1."""
    rules, tensors = [], {}
    for index, (name, shape) in enumerate(shapes):
        if name.endswith("embeddings.weight") or name.endswith(("wte.weight", "wpe.weight")):
            offset, scale = 0.0, 1.0
        elif ("ln" in name.split(".")[-2] or "LayerNorm" in name) and name.endswith("weight"):
            offset, scale = 1.0, 0.2
        elif name.endswith("bias"):
            offset, scale = 0.0, 0.1
        else:
            offset, scale = 0.0, 1.0 / math.sqrt(shape[1])
        entry, values = rule(name, shape, 100 + index, offset, scale)
        rules.append(entry)
        tensors[name] = torch.from_numpy(values.astype(np.float64)).requires_grad_(True)
    return rules, tensors


def linear(P, name, x, bias=True):
    return F.linear(x, P[name + ".weight"], P[name + ".bias"] if bias else None)


def gpt_shapes(L, d, ctx, fused, tied, norm):
    shapes = [("transformer.wte.weight", [256, d]), ("transformer.wpe.weight", [ctx, d])]
    for i in range(L):
        p = f"transformer.h.{i}."
        if norm != "none":
            shapes += [(p + "ln_1.weight", [d]), (p + "ln_1.bias", [d])]
        if fused:
            shapes += [(p + "attn.c_attn.weight", [3 * d, d]), (p + "attn.c_attn.bias", [3 * d])]
        else:
            for proj in ["q_proj", "k_proj", "v_proj"]:
                shapes += [(p + f"attn.{proj}.weight", [d, d]), (p + f"attn.{proj}.bias", [d])]
        shapes += [(p + "attn.c_proj.weight", [d, d]), (p + "attn.c_proj.bias", [d])]
        if norm != "none":
            shapes += [(p + "ln_2.weight", [d]), (p + "ln_2.bias", [d])]
        shapes += [(p + "mlp.c_fc.weight", [4 * d, d]), (p + "mlp.c_fc.bias", [4 * d]),
                   (p + "mlp.c_proj.weight", [d, 4 * d]), (p + "mlp.c_proj.bias", [d])]
    if norm == "pre":
        shapes += [("transformer.ln_f.weight", [d]), ("transformer.ln_f.bias", [d])]
    if not tied:
        shapes += [("lm_head.weight", [256, d])]
    return shapes


def gpt_forward(P, idx, L, d, H, fused, tied, norm):
    B, T = idx.shape
    dh = d // H
    x = P["transformer.wte.weight"][idx] + P["transformer.wpe.weight"][:T]
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    alpha = (2 * L) ** 0.25

    def ln(name, h):
        return F.layer_norm(h, (d,), P[name + ".weight"], P[name + ".bias"], 1e-5)

    for i in range(L):
        p = f"transformer.h.{i}."

        def attn(h):
            if fused:
                q, k, v = linear(P, p + "attn.c_attn", h).split(d, dim=2)
            else:
                q, k, v = (linear(P, p + f"attn.{n}", h) for n in ["q_proj", "k_proj", "v_proj"])
            q, k, v = (t.view(B, T, H, dh).transpose(1, 2) for t in (q, k, v))
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(dh))
            att = att.masked_fill(~causal, float("-inf"))
            y = F.softmax(att, dim=-1) @ v
            return linear(P, p + "attn.c_proj", y.transpose(1, 2).contiguous().view(B, T, d))

        def mlp(h):
            return linear(P, p + "mlp.c_proj", F.gelu(linear(P, p + "mlp.c_fc", h)))

        for f, n in [(attn, "ln_1"), (mlp, "ln_2")]:
            if norm == "pre":
                x = x + f(ln(p + n, x))
            elif norm == "post":
                x = ln(p + n, x + f(x))
            elif norm == "deepnorm":
                x = ln(p + n, alpha * x + f(x))
            else:
                x = x + f(x)
    if norm == "pre":
        x = ln("transformer.ln_f", x)
    head = P["transformer.wte.weight"] if tied else P["lm_head.weight"]
    return (x @ head.t()).reshape(B * T, 256)


def bert_shapes(L, d, f, vocab, ctx, classes, pool):
    shapes = [("embeddings.word_embeddings.weight", [vocab, d]), ("embeddings.position_embeddings.weight", [ctx, d]),
              ("embeddings.token_type_embeddings.weight", [2, d]),
              ("embeddings.LayerNorm.weight", [d]), ("embeddings.LayerNorm.bias", [d])]
    for i in range(L):
        p = f"encoder.layer.{i}."
        for n in ["query", "key", "value"]:
            shapes += [(p + f"attention.self.{n}.weight", [d, d]), (p + f"attention.self.{n}.bias", [d])]
        shapes += [(p + "attention.output.dense.weight", [d, d]), (p + "attention.output.dense.bias", [d]),
                   (p + "attention.output.LayerNorm.weight", [d]), (p + "attention.output.LayerNorm.bias", [d]),
                   (p + "intermediate.dense.weight", [f, d]), (p + "intermediate.dense.bias", [f]),
                   (p + "output.dense.weight", [d, f]), (p + "output.dense.bias", [d]),
                   (p + "output.LayerNorm.weight", [d]), (p + "output.LayerNorm.bias", [d])]
    if pool == "cls":
        shapes += [("pooler.dense.weight", [d, d]), ("pooler.dense.bias", [d])]
    shapes += [("classifier.weight", [classes, d]), ("classifier.bias", [classes])]
    return shapes


def bert_forward(P, ids, L, d, H, pool, pad=0):
    B, T = ids.shape
    dh = d // H
    mask = (ids != pad).double()

    def ln(name, h):
        return F.layer_norm(h, (d,), P[name + ".weight"], P[name + ".bias"], 1e-12)

    x = (P["embeddings.word_embeddings.weight"][ids] + P["embeddings.position_embeddings.weight"][:T]
         + P["embeddings.token_type_embeddings.weight"][torch.zeros_like(ids)])
    x = ln("embeddings.LayerNorm", x)
    extended = (1.0 - mask[:, None, None, :]) * torch.finfo(torch.float64).min
    for i in range(L):
        p = f"encoder.layer.{i}."
        q, k, v = (linear(P, p + f"attention.self.{n}", x).view(B, T, H, dh).permute(0, 2, 1, 3)
                   for n in ["query", "key", "value"])
        scores = q @ k.transpose(-1, -2) / math.sqrt(dh) + extended
        ctx = (F.softmax(scores, dim=-1) @ v).permute(0, 2, 1, 3).contiguous().view(B, T, d)
        a = ln(p + "attention.output.LayerNorm", linear(P, p + "attention.output.dense", ctx) + x)
        h = F.gelu(linear(P, p + "intermediate.dense", a))
        x = ln(p + "output.LayerNorm", linear(P, p + "output.dense", h) + a)
    if pool == "cls":
        pooled = torch.tanh(linear(P, "pooler.dense", x[:, 0]))
    else:
        pooled = (x * mask[..., None]).sum(1) / torch.clamp(mask.sum(1)[..., None], min=1e-9)
    return linear(P, "classifier", pooled)


def case(spec, shapes, forward, ids, labels):
    rules, P = parameters(shapes)
    logits = forward(P, ids)
    loss = F.cross_entropy(logits, torch.tensor(labels))
    loss.backward()
    return dict(spec=spec, tensors=rules, ids=ids.flatten().tolist(), ids_shape=list(ids.shape), labels=labels,
                loss=float(loss), logits=summary("logits", logits, 9000),
                gradients=[summary(name, P[name].grad, 7000 + i) for i, (name, _) in enumerate(shapes)])


def main():
    torch.set_num_threads(1)
    fixtures = {}
    B, T = 2, 12
    ids = torch.from_numpy((hashed_values(B * T, 1, 0.5, 0.5) * 256).astype(np.int64).clip(0, 255)).reshape(B, T)
    labels = [int(v) for v in (hashed_values(B * T, 2, 0.5, 0.5) * 256).astype(np.int64).clip(0, 255)]
    for norm, fused, tied in [("pre", True, True), ("post", True, True), ("deepnorm", True, True),
                              ("none", True, True), ("pre", False, False)]:
        spec = f"gpt:layers=2,width=32,heads=4,context=16,norm={norm}" + ("" if fused else ",fused=false,tie=false")
        fixtures[spec] = case(spec, gpt_shapes(2, 32, 16, fused, tied, norm),
                              lambda P, i, n=norm, f=fused, t=tied: gpt_forward(P, i, 2, 32, 4, f, t, n), ids, labels)
    lengths = [10, 7, 4]
    raw = (hashed_values(30, 3, 0.5, 0.5) * 99).astype(np.int64).clip(0, 98) + 1
    bert_ids = torch.tensor([[int(raw[b * 10 + t]) if t < n else 0 for t in range(10)] for b, n in enumerate(lengths)])
    for pool in ["mean", "cls"]:
        spec = f"bert:layers=2,width=32,heads=4,ffn=64,vocab=100,context=16,pool={pool}"
        fixtures[spec] = case(spec, bert_shapes(2, 32, 64, 100, 16, 3, pool),
                              lambda P, i, p=pool: bert_forward(P, i, 2, 32, 4, p), bert_ids, [2, 0, 1])
    with open(OUT, "w") as f:
        json.dump(fixtures, f)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
