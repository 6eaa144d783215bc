"""MinHash signatures and LSH bands over word shingles, to find syndicated near-duplicate articles."""

from __future__ import annotations

import hashlib
import re

import numpy as np

__all__ = ["NUM_PERM", "BANDS", "signature", "bands", "similarity", "encode", "decode"]

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: pairs above ~0.5 Jaccard become candidates, then are verified
ROWS = NUM_PERM // BANDS
SHINGLE = 3
_PRIME = (1 << 31) - 1  # a*x stays below 2**62, so the arithmetic fits in int64
_rng = np.random.default_rng(20250408)  # fixed seed: signatures must agree across runs
_A = _rng.integers(1, _PRIME, NUM_PERM, dtype=np.int64)
_B = _rng.integers(0, _PRIME, NUM_PERM, dtype=np.int64)
_WORD = re.compile(r"\w+", re.UNICODE)


def _shingle_hashes(text: str) -> np.ndarray:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        grams = {" ".join(words)}
    else:
        grams = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    values = [int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") % _PRIME for g in grams]
    return np.fromiter(values, dtype=np.int64, count=len(values))


def signature(text: str) -> np.ndarray:
    """128 minimum hash values; the share of equal positions estimates Jaccard similarity."""
    x = _shingle_hashes(text)
    hashed = (_A[:, None] * x[None, :] + _B[:, None]) % _PRIME
    return hashed.min(axis=1).astype(np.uint32)


def bands(sig: np.ndarray) -> list[str]:
    """LSH band keys: articles sharing any band key are candidate near-duplicates."""
    return [
        f"{b}:{hashlib.blake2b(sig[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).hexdigest()}"
        for b in range(BANDS)
    ]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def encode(sig: np.ndarray) -> str:
    return sig.astype("<u4").tobytes().hex()


def decode(text: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(text), dtype="<u4").astype(np.uint32)
