//! Shared by the fuzz targets: a scratch folder that the loader reads like
//! any user's repository, and the work `aims check` / `aims gap` / the
//! reports do on what it loads.
//!
//! Each target writes the fuzzer's bytes as one file of a small fixed
//! project, then calls the same `aims::load::load` the binary calls.
//! The folder lives for the whole process (one per fuzzing process, under
//! the system temporary folder) so that an execution costs a file write,
//! not a new folder.

#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use aims::load::{LoadFailure, Project};

/// A valid inventory that uses every section (the gap-ladder fixture).
pub const INVENTORY: &str = include_str!("../../../tests/fixtures/gap/aims.yaml");
/// A valid catalogue overlay (the example bank's).
pub const OVERLAY: &str =
    include_str!("../../../examples/bank/aims/controls-extra/bank-controls.yaml");

/// The scratch folder of this process.
pub fn workdir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("aims-fuzz-")
            .tempdir()
            .expect("a temporary folder");
        // Evidence that the fixed inventory cites, so that citations resolve
        // (and are hashed) rather than all being missing.
        let ev = dir.path().join("evidence/docs");
        std::fs::create_dir_all(&ev).expect("evidence folder");
        for f in ["policy.md", "alignment.md", "review.md", "roles.md"] {
            std::fs::write(ev.join(f), "# evidence\n").expect("evidence file");
        }
        dir
    })
    .path()
}

/// Write `bytes` as `name` in the scratch folder (replacing what was there).
pub fn put(name: &str, bytes: &[u8]) {
    std::fs::write(workdir().join(name), bytes).expect("write to the scratch folder");
}

/// Remove `name` from the scratch folder if it is there.
pub fn remove(name: &str) {
    let _ = std::fs::remove_file(workdir().join(name));
}

/// Load the scratch folder as `aims check DIR` run inside it would.
pub fn load() -> Result<Project, LoadFailure> {
    let dir = workdir();
    aims::load::load(Some(dir), dir)
}

/// What the binary does with a failed load: render the diagnostics for
/// the terminal (with source excerpts), as SARIF and as a JSON envelope.
pub fn report_failure(f: &LoadFailure) {
    assert!(
        !f.diagnostics.is_empty(),
        "a failed load must say why (total {})",
        f.total
    );
    assert!(f.total >= f.diagnostics.len() - 1);
    std::hint::black_box(aims::diag::render(&f.diagnostics, &f.sources, false));
    std::hint::black_box(aims::diag::render(&f.diagnostics, &f.sources, true));
    let here = std::path::Path::new(".");
    let base = aims::render::ci::SarifBase::new(here, here, "check");
    std::hint::black_box(aims::render::ci::sarif(&f.diagnostics, &base));
    let errors = aims::render::views::LoadErrorsView {
        errors: &f.diagnostics,
    };
    std::hint::black_box(
        aims::render::output::envelope("check", errors).expect("load errors serialise"),
    );
}

/// The report engine, built once: its templates are embedded.
fn engine() -> &'static tera::Tera {
    static ENGINE: OnceLock<tera::Tera> = OnceLock::new();
    ENGINE.get_or_init(|| aims::render::templates::engine(None).expect("embedded templates"))
}

/// The judgement `aims check` and `aims gap` make on a loaded inventory,
/// and the outputs they and the reports render from it.
pub fn judge(p: &Project) {
    use aims::assess::{self, readiness};
    use aims::render::{Cx, Output, Render, ci, report, soa, templates};
    use aims::rules;
    let as_of = aims::render::output::ymd(2026, 11, 24);
    let ev = aims::assess::evidence::Evidence::new(&p.evidence_root);

    // aims check: findings, shown as the terminal, JSON and SARIF show them.
    let findings = rules::run_with(p, as_of, &ev);
    let live = findings.iter().filter(|f| f.waived_by.is_none());
    std::hint::black_box(aims::diag::render(live, &p.sources, false));
    std::hint::black_box(serde_json::to_string(&findings).expect("findings serialise"));
    let base = ci::SarifBase::new(&p.root, &p.root, "check");
    std::hint::black_box(ci::sarif(&findings, &base));

    // aims gap: the same findings, the ladder, JUnit, and a baseline
    // comparison of the run with itself (which can find no regression).
    let gap = assess::gap_with(p, as_of, &ev);
    assert_eq!(findings, gap.findings, "two runs on one project differ");
    let deny = p.config.gate.deny.as_deref();
    let denied: Vec<&rules::Finding> = gap
        .findings
        .iter()
        .filter(|f| rules::denied(f, deny))
        .collect();
    let groups: Vec<(String, String)> = p
        .catalog
        .groups
        .iter()
        .map(|g| (g.id.clone(), g.title.clone()))
        .collect();
    std::hint::black_box(ci::junit(
        &gap,
        p.config.gate.fail_under,
        &denied,
        &[],
        &groups,
    ));
    let baseline = aims::render::output::envelope("gap", &gap).expect("gap serialises");
    let back = assess::regressions(&gap, &baseline).expect("own output is a baseline");
    assert!(back.is_empty(), "a gap regressed against itself: {back:?}");
    if let Some(s) = p.inventory.systems.first() {
        let one = gap.clone().for_system(p, &s.id.0).expect("a listed system");
        std::hint::black_box(serde_json::to_string(&one).expect("gap serialises"));
    }

    // Readiness, plan, statement of applicability, report.
    let r = readiness::readiness(p, &gap, as_of);
    let cx = Cx::default();
    std::hint::black_box(r.text(Output::Table, &cx).expect("a readiness table"));
    std::hint::black_box(
        r.text(Output::Markdown, &cx)
            .expect("readiness in Markdown"),
    );
    let plan = readiness::plan(p, &gap, as_of);
    std::hint::black_box(
        plan.text(Output::Markdown, &cx)
            .expect("a plan in Markdown"),
    );
    let rows = soa::soa_rows(p, &gap, &ev, None);
    std::hint::black_box(soa::soa_csv(&rows));
    let inputs = report::Inputs {
        project: p,
        gap: &gap,
        as_of,
        generated_at: "2026-11-24 00:00 UTC".into(),
        out_dir: p.root.clone(),
        link_root: p.evidence_root.clone(),
        regressions: None,
        crosswalks: aims::catalog::crosswalk::report_sections(p, &gap),
        evidence: &ev,
    };
    let view = report::report_view(&inputs);
    for name in ["report.md", "report.html"] {
        std::hint::black_box(templates::render(engine(), name, &view).expect("report renders"));
    }
    let soa = soa::soa_view(&inputs, &rows);
    std::hint::black_box(templates::render(engine(), "soa.md", &soa).expect("soa renders"));
}
