//! Load-time benchmark: how long `aims check` spends reading, parsing and
//! validating a large generated inventory. Run with `cargo bench --bench load`.
//! Figures are recorded in BENCHMARKS.md.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// An inventory of `n` systems, each with statements, data and a risk,
/// shaped like the shipped examples.
fn inventory(n: usize) -> String {
    let mut s = String::from(
        "version: 1\norganization:\n  name: Bench Ltd\n  aims_owner: lead\nroles:\n  - id: lead\n    title: Lead\nsuppliers:\n  - id: vendor\n    name: Vendor\ncontrols:\n",
    );
    for id in ["A.2.2", "A.2.3", "A.3.2", "4.1", "6.1.2", "8.2"] {
        let _ = writeln!(
            s,
            "  {id}:\n    status: implemented\n    owner: lead\n    evidence: [docs/{id}.md]"
        );
    }
    s.push_str("systems:\n");
    for i in 0..n {
        let _ = write!(
            s,
            "  - id: system-{i}\n    name: System number {i}\n    owner: lead\n    lifecycle: operation\n    role: deployer\n    supplier: vendor\n    changed: 2026-05-01\n    purpose: \"Scores applications for product line {i}\"\n    data:\n      - id: data-{i}\n        personal: true\n        provenance: docs/data/{i}.md\n    human_oversight: Analysts review every decline\n    logging: Decisions kept for 7 years\n    eu_ai_act:\n      in_scope: true\n      annex_iii: [creditworthiness]\n      art6_3_exception: none\n      profiling: true\n      declared_tier: high\n    controls:\n      A.6.2.6:\n        status: implemented\n        owner: lead\n        evidence:\n          - path: records/monitoring/{i}.csv\n            reviewed: 2026-10-01\n"
        );
    }
    s.push_str("risks:\n");
    for i in 0..n {
        let _ = write!(
            s,
            "  - id: risk-{i}\n    title: Unfair declines in line {i}\n    systems: [system-{i}]\n    source: machine-learning\n    objective: fairness\n    likelihood: 3\n    impact: 4\n    owner: lead\n    treatment: mitigate\n    controls: [A.7.4, A.6.2.4]\n"
        );
    }
    s
}

fn time<T>(f: impl Fn() -> T) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed());
    }
    best
}

fn main() {
    for n in [100usize, 1_000, 10_000] {
        let dir = tempfile::tempdir().unwrap();
        let text = inventory(n);
        std::fs::write(dir.path().join("aims.yaml"), &text).unwrap();
        let parse = time(|| aims::load::yaml::parse(&text).unwrap());
        // Baseline: the same crate straight into an untyped value, no spans.
        let plain = time(|| {
            serde_saphyr::from_str_with_options::<serde_json::Value>(
                &text,
                aims::load::yaml::parse_options(),
            )
            .unwrap()
        });
        let load = time(|| aims::load::load(Some(dir.path()), dir.path()).unwrap());
        let project = aims::load::load(Some(dir.path()), dir.path()).unwrap();
        let as_of = aims::render::output::ymd(2026, 11, 24);
        let rules = time(|| aims::rules::run(&project, as_of));
        println!(
            "{n:>6} systems, {:>5.1} MB: serde-saphyr to Value {:>7.1} ms, spanned parse {:>7.1} ms, load+validate {:>7.1} ms, rules {:>5.1} ms",
            text.len() as f64 / 1e6,
            plain.as_secs_f64() * 1e3,
            parse.as_secs_f64() * 1e3,
            load.as_secs_f64() * 1e3,
            rules.as_secs_f64() * 1e3
        );
    }
}
