"""Reference token ids of Hugging Face's BertTokenizer (the slow Python one, checked against the fast
Rust one) for Initium's WordPiece tests (Tests/InitiumNNTests/WordPieceTests.swift).

Writes, in Tests/InitiumNNTests/Fixtures/wordpiece/:
- fortune_tokens.npz: for every fortune of every file of Debian's fortunes (scripts/fortune_corpus.py),
  tokenized with the vocabulary of all-MiniLM-L6-v2 (scripts/install-models):
    file_index, fortune_index   int32 [n]   which fortune (file order, then fortune order)
    length, length_128          int32 [n]   number of ids untruncated / with max_length=128
    hash, hash_128              uint8 [n,8] FNV-1a 64 (little-endian bytes) of the ids as int32 little-endian
    sample_rows                 int32 [m]   fortunes whose full untruncated ids are stored
    sample_ids, sample_offsets  int32       those ids concatenated, and row starts (m + 1)
    file_names                  uint8       the file names joined with '\\n' (UTF-8)
- mini_vocab.txt: a small vocabulary (the first 1,000 lines of MiniLM's, then every piece the
  tricky strings need), so unit tests run without the installed model;
- tricky_cases.json: strings with accents, punctuation, CJK, control characters, long words,
  '##' continuations, special tokens in text, and their ids under mini_vocab.txt (untruncated and
  with max_length 8).

Run (transformers 4.46.3 and tokenizers 0.20.3 from PyPI in a venv over Debian's python3):
  /usr/bin/python3 -m venv --system-site-packages /tmp/hfenv
  /tmp/hfenv/bin/pip install "transformers==4.46.3" "tokenizers==0.20.3"
  scripts/install-models
  /tmp/hfenv/bin/python scripts/make_wordpiece_fixture.py
"""
import json
import os
import sys

import numpy as np
from transformers import BertTokenizer, BertTokenizerFast

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fortune_corpus import fortune_files  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "InitiumNNTests", "Fixtures", "wordpiece")
MODEL = os.path.join(os.environ.get("INITIUM_MODELS") or os.path.expanduser("~/.cache/initium/models"), "all-minilm-l6-v2")

TRICKY = [
    "Hello, World!",
    "unaffable",
    "İstanbul Ångström Crème brûlée naïve façade",
    "e\u0301 vs \u00e9, Å vs \u212b, ﬁne ligature",
    "ΟΔΟΣ Σίσυφος Straße",
    "北京欢迎你 and 東京, ひらがな カタカナ 한국어",
    "tab\there\nnewline\r\nnul\x00bell\x07 zero\u200bwidth soft\u00adhyphen \ufffd replacement",
    "a\u00a0nbsp\u3000ideographic\u2028line\u2029para",
    "$5 ^caret `tick` a+b <x=y> |pipe| ~tilde \"quoted\" ‘curly’ «guillemets» — dash… ellipsis",
    "x" * 100,
    "y" * 101,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "don't can't won't rock'n'roll e-mail U.S.A. 3.14159 1,000,000",
    "[CLS] a[SEP]b [cls] [MASK]x [UNK] [PAD]",
    "emoji 😀👍🏽 and math ∑∫√ and ® ™ ©",
    "Ǆ ǅ ǆ ﬀ ẞ ß İi Iı",
    "   leading and trailing   ",
    "",
    "\u0301 starts with a combining accent",
    "qwxzjv zzzqqq",
]


def fnv1a64(ids):
    h = 0xCBF29CE484222325
    for byte in np.asarray(ids, dtype="<i4").tobytes():
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return np.frombuffer(h.to_bytes(8, "little"), dtype=np.uint8)


def main():
    os.makedirs(OUT, exist_ok=True)
    slow = BertTokenizer(os.path.join(MODEL, "vocab.txt"), do_lower_case=True)
    fast = BertTokenizerFast(os.path.join(MODEL, "vocab.txt"), do_lower_case=True)
    files = fortune_files()
    rows = []
    disagreements = 0
    for f, (name, fortunes) in enumerate(files):
        for i, fortune in enumerate(fortunes):
            text = fortune.decode("utf-8", errors="replace")
            full = slow(text, add_special_tokens=True)["input_ids"]
            cut = slow(text, add_special_tokens=True, truncation=True, max_length=128)["input_ids"]
            if fast(text, add_special_tokens=True)["input_ids"] != full:
                disagreements += 1
            rows.append((f, i, full, cut))
    sample_rows = list(range(0, len(rows), 50))
    sample_ids = [x for r in sample_rows for x in rows[r][2]]
    offsets = np.cumsum([0] + [len(rows[r][2]) for r in sample_rows])
    np.savez_compressed(
        os.path.join(OUT, "fortune_tokens.npz"),
        file_index=np.array([r[0] for r in rows], dtype=np.int32),
        fortune_index=np.array([r[1] for r in rows], dtype=np.int32),
        length=np.array([len(r[2]) for r in rows], dtype=np.int32),
        length_128=np.array([len(r[3]) for r in rows], dtype=np.int32),
        hash=np.stack([fnv1a64(r[2]) for r in rows]),
        hash_128=np.stack([fnv1a64(r[3]) for r in rows]),
        sample_rows=np.array(sample_rows, dtype=np.int32),
        sample_ids=np.array(sample_ids, dtype=np.int32),
        sample_offsets=offsets.astype(np.int32),
        file_names=np.frombuffer("\n".join(n for n, _ in files).encode("utf-8"), dtype=np.uint8),
    )
    print(f"{len(rows)} fortunes in {len(files)} files; fast tokenizer disagrees with the slow one on {disagreements}")

    # The mini vocabulary: MiniLM's first 1,000 lines (specials, [unused], single characters and
    # their ## forms) plus every piece the tricky strings produce with the full vocabulary.
    with open(os.path.join(MODEL, "vocab.txt"), encoding="utf-8") as fh:
        full_vocab = [line.rstrip("\n") for line in fh]
    mini = list(full_vocab[:1000])
    for text in TRICKY:
        for piece in slow.tokenize(text):
            if piece not in mini:
                mini.append(piece)
    mini_path = os.path.join(OUT, "mini_vocab.txt")
    with open(mini_path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("".join(t + "\n" for t in mini))
    mini_slow = BertTokenizer(mini_path, do_lower_case=True)
    mini_fast = BertTokenizerFast(mini_path, do_lower_case=True)
    cases = []
    for text in TRICKY:
        ids = mini_slow(text)["input_ids"]
        fast_ids = mini_fast(text)["input_ids"]
        cases.append({
            "text": text,
            "pieces": mini_slow.tokenize(text),
            "ids": ids,
            "ids_max_length_8": mini_slow(text, truncation=True, max_length=8)["input_ids"],
            "fast_tokenizer_agrees": ids == fast_ids,
        })
    with open(os.path.join(OUT, "tricky_cases.json"), "w", encoding="utf-8") as fh:
        json.dump({"vocabulary": "mini_vocab.txt", "cases": cases}, fh, ensure_ascii=True, indent=1)
    print(f"mini vocabulary {len(mini)} tokens; fast disagrees on {sum(not c['fast_tokenizer_agrees'] for c in cases)} tricky cases")


if __name__ == "__main__":
    main()
