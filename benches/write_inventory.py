# Write the generated benchmark inventory of `n` systems to a file:
#   python3 benches/write_inventory.py 20000 s20000/aims.yaml
import sys
# Mirrors `inventory(n)` in benches/load.rs.
def inventory(n):
    s = ["version: 1\norganization:\n  name: Bench Ltd\n  aims_owner: lead\nroles:\n  - id: lead\n    title: Lead\nsuppliers:\n  - id: vendor\n    name: Vendor\ncontrols:\n"]
    for id in ["A.2.2", "A.2.3", "A.3.2", "4.1", "6.1.2", "8.2"]:
        s.append(f"  {id}:\n    status: implemented\n    owner: lead\n    evidence: [docs/{id}.md]\n")
    s.append("systems:\n")
    for i in range(n):
        s.append(f"  - id: system-{i}\n    name: System number {i}\n    owner: lead\n    lifecycle: operation\n    role: deployer\n    supplier: vendor\n    changed: 2026-05-01\n    purpose: \"Scores applications for product line {i}\"\n    data:\n      - id: data-{i}\n        personal: true\n        provenance: docs/data/{i}.md\n    human_oversight: Analysts review every decline\n    logging: Decisions kept for 7 years\n    eu_ai_act:\n      in_scope: true\n      annex_iii: [creditworthiness]\n      art6_3_exception: none\n      profiling: true\n      declared_tier: high\n    controls:\n      A.6.2.6:\n        status: implemented\n        owner: lead\n        evidence:\n          - path: records/monitoring/{i}.csv\n            reviewed: 2026-10-01\n")
    s.append("risks:\n")
    for i in range(n):
        s.append(f"  - id: risk-{i}\n    title: Unfair declines in line {i}\n    systems: [system-{i}]\n    source: machine-learning\n    objective: fairness\n    likelihood: 3\n    impact: 4\n    owner: lead\n    treatment: mitigate\n    controls: [A.7.4, A.6.2.4]\n")
    return "".join(s)
n = int(sys.argv[1]); out = sys.argv[2]
open(out, "w").write(inventory(n))
