#!/usr/bin/env bash
# Whole-process benchmarks at scale: generate inventories of N systems with
# `examples/gen-inventory.rs`, then time every command that a CI job or an
# auditor runs on them, beside the baselines the figures in BENCHMARKS.md
# are held against (serde-saphyr's own parse, rapidyaml's parse when
# installed, copying and sha256sum for pack and verify).
#
#   benches/scale.sh [N...]          default: 1000 10000 100000
#
# Wall time is the best of three runs (/usr/bin/time -f %e), peak memory the
# largest resident set of those runs (%M). Works from a fresh clone: it
# builds what it needs; rapidyaml is optional (pip install rapidyaml).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
export SOURCE_DATE_EPOCH=1796083200 NO_COLOR=1
cargo build --release --locked -q --bin aims --example gen-inventory --example parse-yaml
bin=target/release/aims
work=${SCALE_DIR:-target/scale}
mkdir -p "$work"

# best-of-3 wall seconds and peak RSS (MB) of a command; its exit code is
# ignored (a gate that fails is still a measured run).
measure() {
  local best="" peak=0 t m out f
  f=$(mktemp)
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$f" "$@" >/dev/null 2>&1 || true
    out=$(tail -1 "$f")
    t=${out% *}; m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    [ "$m" -gt "$peak" ] && peak=$m
  done
  rm -f "$f"
  printf '%s s, %s MB' "$best" "$((peak / 1024))"
}

printf '| systems | inventory | command | time, peak memory |\n| ---: | ---: | --- | --- |\n'
for n in "${sizes[@]}"; do
  d=$work/inv-$n
  if [ ! -f "$d/aims.toml" ]; then
    rm -rf "$d"
    target/release/examples/gen-inventory "$d" "$n" >/dev/null
  fi
  size=$(cat "$d"/aims/*.yaml | wc -c)
  row() { printf '| %s | %.1f MB | %s | %s |\n' "$n" "$(awk "BEGIN{print $size / 1000000}")" "$1" "$2"; }
  row "serde-saphyr parse (untyped, baseline)" "$(target/release/examples/parse-yaml "$d"/aims/*.yaml) s"
  if python3 -c 'import ryml' 2>/dev/null; then
    row "rapidyaml parse (baseline)" "$(python3 benches/ryml_parse.py "$d"/aims/*.yaml) s"
  fi
  row "aims check" "$(measure $bin check "$d")"
  row "aims gap --format json" "$(measure $bin gap "$d" --format json)"
  row "aims report --format html" "$(measure $bin report "$d" --format html)"
  row "aims soa --format csv" "$(measure $bin soa "$d" --format csv)"
  rm -rf "$work/pack-$n"
  row "aims pack (folder)" "$(measure $bin pack "$d" --output "$work/pack-$n" --force)"
  $bin pack "$d" --output "$work/pack-$n" --force -q || true
  row "aims verify (folder)" "$(measure $bin verify "$work/pack-$n")"
  row "cp -r + sha256sum of the evidence (baseline)" "$(measure sh -c "rm -rf '$work/copy-$n' && cp -r '$d' '$work/copy-$n' && find '$work/copy-$n' -type f -print0 | xargs -0 sha256sum")"
  row "sha256sum of the pack (baseline)" "$(measure sh -c "find '$work/pack-$n' -type f -print0 | xargs -0 sha256sum")"
done
