"""Reference sentence embeddings of all-MiniLM-L6-v2 for the parity test of Initium's BERT encoder.

The first 200 fortunes of fortunes-topics(k=8)'s validation split (scripts/fortune_corpus.py:
the 8 largest fortune files by bytes, in file-name order then fortune order, every tenth fortune
of a file) are tokenized by Hugging Face's BertTokenizer with the checkpoint's vocab.txt, run
through transformers' BertModel (float32, eval mode, CPU), mean-pooled over the attention mask and
L2-normalized, as sentence-transformers' Transformer → Pooling(mean) → Normalize does:
  s = Σ_t m_t h_t / max(Σ_t m_t, 1e-9),   e = s / max(‖s‖₂, 1e-12).

Writes Tests/InitiumNNTests/Fixtures/minilm/fortune_embeddings.npz with
  labels              int32   [200]        class indices of fortunes-topics(k=8)
  input_ids_128       int32   [200, 128]   ids truncated to 128 (fortunes-topics' default), [PAD]-padded
  embeddings_128      float32 [200, 384]   their embeddings
  input_ids_256       int32   [200, 256]   ids truncated to 256 (sentence-transformers' max_seq_length)
  embeddings_256      float32 [200, 384]   their embeddings (what `initium embed` should give)

Run (Debian's torch 1.13 through --system-site-packages; transformers 4.46.3 from PyPI):
  /usr/bin/python3 -m venv --system-site-packages /tmp/hfenv
  /tmp/hfenv/bin/pip install "transformers==4.46.3" "tokenizers==0.20.3"
  scripts/install-models
  /tmp/hfenv/bin/python scripts/make_minilm_embedding_fixture.py
"""
import os
import sys

import numpy as np
import torch
from transformers import BertModel, BertTokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fortune_corpus import fortune_files, topics_split  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "InitiumNNTests", "Fixtures", "minilm")
MODEL = os.path.join(os.environ.get("INITIUM_MODELS") or os.path.expanduser("~/.cache/initium/models"), "all-minilm-l6-v2")
COUNT = 200


def embed(model, tokenizer, texts, max_length):
    batch = tokenizer(texts, padding="max_length", truncation=True, max_length=max_length, return_tensors="pt")
    with torch.no_grad():
        hidden = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                       token_type_ids=batch["token_type_ids"]).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    normalized = pooled / pooled.norm(dim=1, keepdim=True).clamp(min=1e-12)
    return batch["input_ids"].numpy().astype(np.int32), normalized.numpy().astype(np.float32)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    texts, labels = topics_split(fortune_files(), k=8, validation=True)
    texts, labels = texts[:COUNT], labels[:COUNT]
    tokenizer = BertTokenizer(os.path.join(MODEL, "vocab.txt"), do_lower_case=True)
    model = BertModel.from_pretrained(MODEL, add_pooling_layer=False).eval().float()
    out = {"labels": np.array(labels, dtype=np.int32)}
    for length in (128, 256):
        ids, embeddings = embed(model, tokenizer, texts, length)
        out[f"input_ids_{length}"] = ids
        out[f"embeddings_{length}"] = embeddings
    os.makedirs(OUT, exist_ok=True)
    np.savez_compressed(os.path.join(OUT, "fortune_embeddings.npz"), **out)
    e = out["embeddings_256"]
    print(f"{len(texts)} fortunes, norms {np.linalg.norm(e, axis=1).min():.6f}..{np.linalg.norm(e, axis=1).max():.6f}, "
          f"cos(128, 256) min {(out['embeddings_128'] * e).sum(1).min():.6f}")


if __name__ == "__main__":
    main()
