#!/usr/bin/env bash
# The small figures of the core issue, whole process, release build:
# `aims --version`, `aims check` and `aims gap` on the shipped examples,
# and one mapping of 40,000 unknown keys and one of 40,000 duplicated keys.
#
#   benches/small.sh
#
# Each figure is the fastest of 20 runs (so that a busy machine shows what
# the tool costs, not what the scheduler did), with the median beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
export SOURCE_DATE_EPOCH=1796083200 NO_COLOR=1
cargo build --release --locked -q --bin aims
bin=target/release/aims
work=${SCALE_DIR:-target/scale}/small
mkdir -p "$work/unknown" "$work/duplicate"

# 40,000 keys nobody defined in one system; 40,000 copies of one key.
python3 - "$work" <<'EOF'
import sys
w = sys.argv[1]
head = "version: 1\norganization:\n  name: Keys Ltd\nsystems:\n  - id: wide\n    name: Wide\n    lifecycle: operation\n    role: deployer\n"
open(f"{w}/unknown/aims.yaml", "w").write(head + "".join(f"    extra_{i}: x\n" for i in range(40000)))
open(f"{w}/duplicate/aims.yaml", "w").write(head + "".join("    purpose: x\n" for _ in range(40000)))
EOF

time_of() {
  python3 - "$@" <<'EOF'
import subprocess, sys, time
ts = []
for _ in range(20):
    t = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ts.append(time.perf_counter() - t)
ts.sort()
print(f"{ts[0] * 1000:.1f} ms (median {ts[10] * 1000:.1f} ms)")
EOF
}

printf '| command | fastest of 20 |\n| --- | --- |\n'
printf '| aims --version | %s |\n' "$(time_of $bin --version)"
for ex in bank hospital; do
  printf '| aims check examples/%s | %s |\n' "$ex" "$(time_of $bin check examples/$ex)"
  printf '| aims gap examples/%s | %s |\n' "$ex" "$(time_of $bin gap examples/$ex)"
done
printf '| aims check, 40,000 unknown keys | %s |\n' "$(time_of $bin check "$work/unknown")"
printf '| aims check, 40,000 duplicated keys | %s |\n' "$(time_of $bin check "$work/duplicate")"
