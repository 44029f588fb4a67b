"""The `fortunes-bytes` dataset re-implemented independently of Initium, from its definition:
regular files (not symlinks) of /usr/share/games/fortunes without an extension, sorted by name;
each split at lines that are exactly `%`; a fortune is its lines joined by "\n" plus a final
"\n"; empty or whitespace-only fortunes are dropped; in each file fortune i (0-based) goes to
validation if i % 10 == 9, else to training; a split's bytes are its fortunes concatenated (file
order, then fortune order); examples are windows of T with stride T:
x = s[kT:kT+T], y = s[kT+1:kT+T+1] for k < (len(s) - 1) // T."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fortune_corpus import DEFAULT_DIRECTORY, fortune_files, is_validation  # noqa: E402


def splits(directory=DEFAULT_DIRECTORY):
    """(training bytes, validation bytes): the fortunes of scripts/fortune_corpus.py, concatenated."""
    train, valid = bytearray(), bytearray()
    for _, fortunes in fortune_files(directory):
        for i, text in enumerate(fortunes):
            (valid if is_validation(i) else train).extend(text)
    return bytes(train), bytes(valid)


def windows(stream, context):
    """Inputs and next-byte targets, lists of `context`-byte windows with stride `context`."""
    count = (len(stream) - 1) // context
    xs = [stream[k * context:k * context + context] for k in range(count)]
    ys = [stream[k * context + 1:k * context + context + 1] for k in range(count)]
    return xs, ys
