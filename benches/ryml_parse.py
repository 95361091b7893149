"""rapidyaml's parse alone, the fastest YAML parser we know: the baseline
printed beside aims' figures in BENCHMARKS.md. Best of three, in seconds.
Usage: python3 benches/ryml_parse.py FILE...  (pip install rapidyaml)"""

import sys
import time

import ryml

texts = [open(p, "rb").read() for p in sys.argv[1:]]
best = None
for _ in range(3):
    start = time.perf_counter()
    for t in texts:
        tree = ryml.parse_in_arena(t)
        del tree
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print(f"{best:.4f}")
