"""Debian's fortune cookies read the way Initium's FortuneCorpus reads them, re-implemented
independently for the reference scripts (make_wordpiece_fixture.py, make_minilm_embedding_fixture.py).

- files: the regular files (not symlinks) of the directory whose names contain no '.', sorted by
  name in byte order;
- lines: the bytes split at b'\\n', without the empty piece after a final newline;
- fortunes: runs of lines between lines that are exactly b'%'; a fortune is its lines joined with
  b'\\n' plus a final b'\\n'; fortunes that are empty or only ASCII whitespace are dropped;
- split: fortune i (0-based) of a file is validation when i % 10 == 9, else training.
"""
import os

DEFAULT_DIRECTORY = "/usr/share/games/fortunes"


def fortune_files(directory=DEFAULT_DIRECTORY):
    """[(name, [fortune bytes, ...]), ...] in name order."""
    names = []
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        if "." in name or os.path.islink(path) or not os.path.isfile(path):
            continue
        names.append(name)
    names.sort(key=lambda n: n.encode("utf-8"))
    files = []
    for name in names:
        with open(os.path.join(directory, name), "rb") as f:
            data = f.read()
        lines = data.split(b"\n")
        if data.endswith(b"\n"):
            lines = lines[:-1]
        fortunes, current = [], []
        for line in lines:
            if line == b"%":
                fortunes.append(current)
                current = []
            else:
                current.append(line)
        fortunes.append(current)
        texts = [b"\n".join(lines) + b"\n" for lines in fortunes]
        files.append((name, [t for t in texts if t.strip(b" \t\n\r\x0b\x0c")]))
    return files


def is_validation(index):
    return index % 10 == 9


def topic_categories(files, k=8):
    """The k largest files by bytes of fortunes (ties by name), largest first: class index = position."""
    ranked = sorted(
        ((name, sum(len(f) for f in fortunes)) for name, fortunes in files if fortunes),
        key=lambda item: (-item[1], item[0].encode("utf-8")),
    )
    return [name for name, _ in ranked[:k]]


def topics_split(files, k=8, validation=True):
    """(texts, labels) of fortunes-topics(k): fortunes of the k largest files, in file-name then
    fortune order, decoded as UTF-8 with replacement."""
    classes = {name: i for i, name in enumerate(topic_categories(files, k))}
    texts, labels = [], []
    for name, fortunes in files:
        if name not in classes:
            continue
        for i, fortune in enumerate(fortunes):
            if is_validation(i) == validation:
                texts.append(fortune.decode("utf-8", errors="replace"))
                labels.append(classes[name])
    return texts, labels
