#!/usr/bin/env python3
"""Turn the US federal AI use case inventory (2025, 3,611 systems; see
../shared/data/us-federal-ai-use-cases-2025/SOURCE.md) into an aims
inventory, to try aims at portfolio scale on real published data.

    benches/federal.py ../shared/data/us-federal-ai-use-cases-2025/2025_individually_reported_AI_use_cases.csv OUT_DIR

The mapping is an approximation for trying the tool, not a legal reading:
development stage -> lifecycle; "Vendor Purchased" -> deployer with the
vendor as supplier, in-house -> provider-and-deployer; "High-impact" ->
Annex III point 5(a) (public benefits, the closest AI Act area for federal
decisions about people), otherwise an assessed system with no Annex III
area. Nothing is copied: the output is generated under OUT_DIR.
"""
import csv, json, re, sys, pathlib

def slug(s):
    s = re.sub(r'[^A-Za-z0-9]+', '-', s.strip()).strip('-').lower()
    return s[:60] or 'x'

def q(s):
    return json.dumps(s, ensure_ascii=False)

def main(src, out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = list(csv.DictReader(open(src, encoding='utf-8-sig')))
    stage = {'Pre-deployment': 'development', 'Pilot': 'verification',
             'Deployed': 'operation', 'Retired': 'retired'}
    suppliers, systems, seen = {}, [], set()
    for r in rows:
        sid = slug(f"{r['agency']}-{r['id'] or r['use_case_name']}")
        while sid in seen:
            sid += '-x'
        seen.add(sid)
        usage = r['contracting_usage']
        role = 'deployer' if usage == 'Vendor Purchased' else 'provider-and-deployer'
        sup = None
        if role == 'deployer' and r['vendor_name'].strip():
            sup = 'v-' + slug(r['vendor_name'])
            suppliers[sup] = r['vendor_name'].strip()
        high = r['is_high_impact'] == 'High-impact'
        lines = [f"  - id: {q(sid)}", f"    name: {q(r['use_case_name'][:200] or sid)}",
                 f"    owner: caio", f"    lifecycle: {stage.get(r['development_stage'], 'design')}",
                 f"    role: {role}"]
        if sup:
            lines.append(f"    supplier: {q(sup)}")
        lines.append("    eu_ai_act:")
        lines.append(f"      annex_iii: [{'public-benefits' if high else ''}]")
        lines.append("      profiling: false")
        systems.append('\n'.join(lines))
    head = ['version: 1', 'organization:', '  name: "US federal agencies (OMB 2025 inventory)"',
            '  aims_owner: caio', 'roles:', '  - id: caio', '    title: Chief AI Officer']
    (out / 'aims.yaml').write_text('\n'.join(head) + '\n')
    sup = ['suppliers:'] + [f"  - id: {q(k)}\n    name: {q(v)}" for k, v in sorted(suppliers.items())]
    (out / 'suppliers.yaml').write_text('\n'.join(sup) + '\n')
    (out / 'systems.yaml').write_text('systems:\n' + '\n'.join(systems) + '\n')
    (out / 'aims.toml').write_text('inventory = ["aims.yaml", "suppliers.yaml", "systems.yaml"]\n[limits]\nreport_rows = 10000000\n')
    print(f"{len(systems)} systems, {len(suppliers)} suppliers -> {out}")

if __name__ == '__main__':
    main(*sys.argv[1:3])
