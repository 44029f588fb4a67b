"""The `fortunes-bytes` dataset re-implemented independently of Initium, from its definition:
regular files (not symlinks) of /usr/share/games/fortunes without an extension, sorted by name;
each split at lines that are exactly `%`; a fortune is its lines joined by "\n" plus a final
"\n"; empty or whitespace-only fortunes are dropped; in each file fortune i (0-based) goes to
validation if i % 10 == 9, else to training; a split's bytes are its fortunes concatenated (file
order, then fortune order); examples are windows of T with stride T:
x = s[kT:kT+T], y = s[kT+1:kT+T+1] for k < (len(s) - 1) // T."""
import os

DIRECTORY = "/usr/share/games/fortunes"


def splits(directory=DIRECTORY):
    """(training bytes, validation bytes)."""
    train, valid = bytearray(), bytearray()
    names = sorted(n for n in os.listdir(directory)
                   if "." not in n and os.path.isfile(os.path.join(directory, n))
                   and not os.path.islink(os.path.join(directory, n)))
    for name in names:
        with open(os.path.join(directory, name), "rb") as f:
            lines = f.read().split(b"\n")
        if lines and lines[-1] == b"":
            lines = lines[:-1]
        fortunes, current = [], []
        for line in lines:
            if line == b"%":
                fortunes.append(current)
                current = []
            else:
                current.append(line)
        fortunes.append(current)
        texts = [b"\n".join(f) + b"\n" for f in fortunes]
        texts = [t for t in texts if t.strip()]
        for i, text in enumerate(texts):
            (valid if i % 10 == 9 else train).extend(text)
    return bytes(train), bytes(valid)


def windows(stream, context):
    """Inputs and next-byte targets, lists of `context`-byte windows with stride `context`."""
    count = (len(stream) - 1) // context
    xs = [stream[k * context:k * context + context] for k in range(count)]
    ys = [stream[k * context + 1:k * context + context + 1] for k in range(count)]
    return xs, ys
