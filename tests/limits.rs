//! Memory is bounded by design: a report too large for its limit is
//! refused by name before it is built (exit 2), never an allocation
//! failure part-way (exit 134).

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::*;

/// `n` systems shaped like the generated benchmark inventory
/// (`benches/load.rs`): high-risk, with data, a per-system statement and a risk.
fn inventory(n: usize) -> String {
    let mut s = String::from(
        "version: 1\norganization:\n  name: Bench Ltd\n  aims_owner: lead\nroles:\n  - id: lead\n    title: Lead\nsuppliers:\n  - id: vendor\n    name: Vendor\nsystems:\n",
    );
    for i in 0..n {
        let _ = write!(
            s,
            "  - id: system-{i}\n    name: System number {i}\n    owner: lead\n    lifecycle: operation\n    role: deployer\n    supplier: vendor\n    purpose: \"Scores applications for product line {i}\"\n    data:\n      - id: data-{i}\n        personal: true\n    human_oversight: Analysts review every decline\n    eu_ai_act:\n      in_scope: true\n      annex_iii: [creditworthiness]\n      art6_3_exception: none\n    controls:\n      A.6.2.6: {{status: implemented, owner: lead}}\n"
        );
    }
    s.push_str("risks:\n");
    for i in 0..n {
        let _ = writeln!(
            s,
            "  - {{id: risk-{i}, title: Unfair declines {i}, systems: [system-{i}], likelihood: 3, impact: 4, owner: lead, treatment: mitigate, controls: [A.7.4]}}"
        );
    }
    s
}

fn repo(n: usize, toml: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("aims.yaml"), inventory(n)).unwrap();
    std::fs::write(t.path().join("aims.toml"), toml).unwrap();
    t
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Run `cmd` under an address-space limit (`ulimit -v`) of `limit` bytes.
#[cfg(target_os = "linux")]
fn output_under_address_limit(cmd: &mut std::process::Command, limit: u64) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    // SAFETY: between fork and exec the closure only calls setrlimit,
    // which is async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            let r = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &r) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().unwrap()
}

#[test]
fn a_report_over_its_row_limit_is_refused_by_name_before_it_is_built() {
    let t = repo(20, "[limits]\nreport_rows = 100\n");
    let out = t.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for (args, what) in [
        (vec!["report"], "the report"),
        (vec!["report", "--format", "markdown"], "the report"),
        (vec!["pack"], "the pack's report"),
    ] {
        let target = out.join("x");
        let mut all = args.clone();
        all.extend([s(t.path()), "--output", s(&target), "--as-of", "2026-11-24"]);
        let o = run(&all);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        let line = o.stderr.lines().find(|l| l.starts_with("error:")).unwrap();
        assert!(
            line.starts_with(&format!("error: {what} would lay out ")),
            "{line}"
        );
        assert!(
            line.contains("over the limit of 100 (`[limits] report_rows` in aims.toml)"),
            "{line}"
        );
        assert!(line.contains("aims gap --format json"), "{line}");
        assert!(line.contains("raise the limit"), "{line}");
        assert_eq!(o.stderr.lines().filter(|l| l.contains("error")).count(), 1);
        assert_eq!(
            std::fs::read_dir(&out).unwrap().count(),
            0,
            "nothing written"
        );
    }
    // What the message suggests works.
    let o = run(&[
        "gap",
        s(t.path()),
        "--format",
        "json",
        "--as-of",
        "2026-11-24",
    ]);
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    // Under the limit, the report is written.
    std::fs::write(
        t.path().join("aims.toml"),
        "[limits]\nreport_rows = 100000\n",
    )
    .unwrap();
    let o = run(&["report", s(t.path()), "--output", s(&out.join("r.html"))]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn a_bad_limit_is_a_config_error() {
    let t = repo(1, "[limits]\nreport_rowz = 5\n");
    let o = run(&["report", s(t.path())]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("report_rowz"), "{}", o.stderr);
}

/// Under a real address-space limit (`ulimit -v`) the report is refused
/// with the limit named (exit 2); before, it died part-way with `memory
/// allocation of N bytes failed` (exit 134).
#[cfg(target_os = "linux")]
#[test]
fn under_an_address_space_limit_the_report_is_refused_by_name_not_aborted() {
    let t = repo(4_000, "");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("aims"));
    cmd.args(["report", s(t.path()), "--as-of", "2026-11-24", "--output"])
        .arg(t.path().join("r.html"))
        .env("NO_COLOR", "1");
    let o = output_under_address_limit(&mut cmd, 320 * 1024 * 1024);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the address-space limit of this process (`ulimit -v`) leaves"),
        "{stderr}"
    );
    assert!(!stderr.contains("memory allocation"), "{stderr}");
    assert!(!t.path().join("r.html").exists());
}

/// The inventory files together are held to `[limits] inventory_mb`
/// (default 256): one error naming the limit, before the file is read.
#[test]
fn inventory_files_over_their_budget_are_refused_by_name() {
    let t = repo(2_000, "[limits]\ninventory_mb = 1\n");
    let o = run(&["check", s(t.path())]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("over the limit of 1 MiB (`[limits] inventory_mb` in aims.toml)"),
        "{}",
        o.stderr
    );
    assert_eq!(o.stderr.matches("error[").count(), 1, "{}", o.stderr);
    // Raised, the same inventory loads.
    let t = repo(2_000, "[limits]\ninventory_mb = 8\n");
    let o = run(&["check", s(t.path())]);
    assert_ne!(o.code, 2, "{}", o.stderr);
}

/// Under an address-space limit that cannot hold the inventory, loading
/// stops before the file is read, naming `ulimit -v`, for every command.
#[cfg(target_os = "linux")]
#[test]
fn under_an_address_space_limit_loading_is_refused_by_name_not_aborted() {
    let t = repo(6_000, "");
    for args in [
        &["check"][..],
        &["gap", "--format", "json"],
        &["soa", "--format", "csv"],
    ] {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("aims"));
        cmd.args(args).arg(t.path()).env("NO_COLOR", "1");
        let o = output_under_address_limit(&mut cmd, 80 * 1024 * 1024);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("the address-space limit of this process (`ulimit -v`) leaves"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("memory allocation"), "{stderr}");
    }
}
