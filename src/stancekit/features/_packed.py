"""A ``{term: index}`` vocabulary as three numpy arrays (no scikit-learn import)."""

import numpy as np


def pack_vocabulary(vocabulary):
    """A ``{term: index}`` dict as three arrays: UTF-8 bytes of the terms, their byte lengths, their indices."""
    terms = list(vocabulary)
    encoded = [t.encode("utf-8") for t in terms]
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    indices = np.fromiter((vocabulary[t] for t in terms), dtype=np.int64, count=len(terms))
    return {"data": data, "lengths": lengths, "indices": indices}


def unpack_vocabulary(packed):
    """Inverse of :func:`pack_vocabulary`, checking the arrays agree with each other."""
    data, lengths, indices = packed["data"], packed["lengths"], packed["indices"]
    if len(lengths) != len(indices) or int(np.sum(lengths)) != len(data) or (len(lengths) and lengths.min() < 0):
        raise ValueError("packed vocabulary is inconsistent: term lengths, indices and data do not agree")
    raw = data.tobytes().decode("utf-8")  # all terms at once; then cut by character offsets
    ends = np.cumsum([len(t) for t in _split_bytes(data.tobytes(), lengths)]) if not raw.isascii() \
        else np.cumsum(lengths)
    starts = np.concatenate([[0], ends[:-1]]) if len(ends) else ends
    vocabulary = dict(zip((raw[a:b] for a, b in zip(starts.tolist(), ends.tolist())), indices.tolist()))
    if len(vocabulary) != len(indices):
        raise ValueError("packed vocabulary has duplicate terms")
    return vocabulary


def _split_bytes(blob, lengths):
    pos = 0
    for n in lengths.tolist():
        yield blob[pos:pos + n].decode("utf-8")
        pos += n
