#!/bin/sh
# Fill fuzz/corpus/TARGET with seeds taken from the repository's own
# examples and fixtures (nothing is downloaded; the corpus is not committed).
# Run from anywhere: ./fuzz/seed.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
f="$repo/tests/fixtures"
c="$here/corpus"
mkdir -p "$c/inventory" "$c/config" "$c/overlay" "$c/check"

# Inventories: valid ones and ones with each kind of problem, all small.
for y in valid/minimal.yaml valid/clause-ids.yaml valid/bom.yaml valid/crlf.yaml \
         invalid/several-per-item.yaml invalid/many-problems.yaml \
         invalid/number-like-clause-ids.yaml classify/high-annex-iii.yaml \
         classify/prohibited.yaml gap/aims.yaml checks/aims.yaml \
         injection/load-errors/ids.yaml hostile/duplicate-keys.yaml \
         hostile/alias-bomb.yaml hostile/multi-document.yaml; do
  cp "$f/$y" "$c/inventory/seed-$(echo "$y" | tr / -)"
done

# Settings files.
for t in gap/aims.toml injection/aims.toml injection/load-errors/aims.toml \
         injection/bad-group/aims.toml invalid/unknown-rule/aims.toml \
         invalid/bad-config/aims.toml; do
  cp "$f/$t" "$c/config/seed-$(echo "$t" | tr / -)"
done
cp "$repo/examples/bank/aims.toml" "$c/config/seed-bank.toml"
cp "$repo/examples/hospital/aims.toml" "$c/config/seed-hospital.toml"
printf '[catalog]\nextra = ["extra.yaml"]\n[gate]\ndeny = ["warning"]\nfail_under = 50\n' \
  > "$c/config/seed-extra.toml"

# Catalogue overlays.
cp "$repo/examples/bank/aims/controls-extra/bank-controls.yaml" "$c/overlay/seed-bank.yaml"
cp "$f/injection/catalogue/extra.yaml" "$c/overlay/seed-injection.yaml"
cp "$f/injection/bad-group/extra.yaml" "$c/overlay/seed-bad-group.yaml"

# The check pipeline: an inventory, optionally NUL and an aims.toml.
for y in gap checks readiness/surveillance-due-soon readiness/overdue-surveillance \
         readiness/planned-stages; do
  cp "$f/$y/aims.yaml" "$c/check/seed-$(echo "$y" | tr / -).yaml"
done
for y in classify/high-annex-iii.yaml classify/art6-3-exception.yaml \
         classify/limited-gpai.yaml valid/clause-ids.yaml; do
  cp "$f/$y" "$c/check/seed-$(echo "$y" | tr / -)"
done
{ cat "$f/gap/aims.yaml"; printf '\0'; cat "$f/gap/aims.toml";
  printf '[gate]\ndeny = ["error"]\n[rules]\n"evidence/stale" = "note"\n'; } \
  > "$c/check/seed-gap-with-toml"
echo "seeded: $(ls "$c/inventory" | wc -l) inventory, $(ls "$c/config" | wc -l) config, $(ls "$c/overlay" | wc -l) overlay, $(ls "$c/check" | wc -l) check"
