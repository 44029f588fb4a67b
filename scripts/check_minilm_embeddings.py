#!/usr/bin/env python3
"""Issue 11 acceptance 2: `initium embed` on the first 200 fortunes of fortunes-topics(k=8)'s
validation split against sentence-transformers' embeddings of all-MiniLM-L6-v2
(Tests/InitiumNNTests/Fixtures/minilm/fortune_embeddings.npz, embeddings_256, made by
scripts/make_minilm_embedding_fixture.py). A fortune's line breaks become spaces (one sentence per
line for `embed`; BERT's tokenizer treats both as whitespace, so the ids are the same).

Usage: scripts/check_minilm_embeddings.py [path/to/initium]   (default .build/release/initium)
Prints the minimum and mean cosine similarity; exits 1 below 0.99999.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fortune_corpus import fortune_files, topics_split  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(os.environ.get("INITIUM_MODELS") or os.path.expanduser("~/.cache/initium/models"), "all-minilm-l6-v2")


def main():
    initium = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "release", "initium")
    texts, _ = topics_split(fortune_files(), k=8, validation=True)
    texts = [t.replace("\r", " ").replace("\n", " ") for t in texts[:200]]
    reference = np.load(os.path.join(ROOT, "Tests", "InitiumNNTests", "Fixtures", "minilm", "fortune_embeddings.npz"))["embeddings_256"]
    with tempfile.TemporaryDirectory() as tmp:
        source, out = os.path.join(tmp, "fortunes.txt"), os.path.join(tmp, "e.npy")
        with open(source, "w", encoding="utf-8") as f:
            f.write("\n".join(texts) + "\n")
        subprocess.run([initium, "embed", "--model", f"bert:pretrained={MODEL}", "--input", source, "--out", out, "--threads", "2"], check=True)
        ours = np.load(out)
    cos = (ours * reference).sum(1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(reference, axis=1)
    print(f"{len(cos)} fortunes: cosine min {cos.min():.8f}, mean {cos.mean():.8f}")
    sys.exit(0 if cos.min() >= 0.99999 else 1)


if __name__ == "__main__":
    main()
