//! CLI snapshot cases: every command and every format on both examples and
//! on the fixtures, the exit code included, pinned in `tests/cmd/*.toml`
//! (arguments, environment, status) beside `.stdout` and `.stderr`, compared
//! byte for byte (`binary = true`: trycmd would otherwise turn every
//! backslash into a slash, and escapes are what these outputs must pin).
//! Regenerate after an intended change with
//! `TRYCMD=overwrite cargo test --test snapshots_cli`, and say why in the commit.

#[test]
fn cli_snapshots() {
    trycmd::TestCases::new()
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}

mod common;

use common::*;

/// The commands that write files (`init`, `keygen`, `pack`, `verify` of
/// what they wrote), run in a temporary folder; the folder's path is
/// replaced by `[TMP]` so the snapshot does not depend on where it ran.
#[test]
fn writing_commands_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let bank = root().join("examples/bank");
    let bank = bank.to_str().unwrap();
    let mut log = String::new();
    let mut step = |args: &[&str]| {
        let o = run_in(dir, args);
        let show = |s: &str| {
            s.replace(dir.to_str().unwrap(), "[TMP]")
                .replace(bank, "[BANK]")
        };
        log.push_str(&format!(
            "$ aims {}\n? {}\n--- stdout\n{}--- stderr\n{}\n",
            show(&args.join(" ")),
            o.code,
            show(&o.stdout),
            show(&o.stderr)
        ));
    };
    step(&["init", "--help"]);
    std::fs::create_dir(dir.join("new")).unwrap();
    step(&["init", "new"]);
    step(&["init", "new"]);
    step(&["check", "new"]);
    step(&["gap", "new", "--fail-under", "0"]);
    step(&["keygen", "--output", "signing"]);
    step(&["keygen", "--output", "signing"]);
    step(&["pack", bank, "--output", "bank.zip", "--sign", "signing"]);
    step(&["pack", bank, "--output", "bank.zip"]);
    step(&["pack", bank, "--output", "bank-folder", "--quiet"]);
    step(&["verify", "bank.zip", "--key", "signing.pub"]);
    step(&[
        "verify",
        "bank.zip",
        "--key",
        "signing.pub",
        "--format",
        "json",
    ]);
    step(&["verify", "bank-folder"]);
    step(&["verify", "bank.zip", "--key", "signing"]);
    step(&["pack", bank, "--output", "bank.zip", "--force"]);
    step(&["verify", "bank.zip", "--key", "signing.pub"]);
    let mut made: Vec<String> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    made.retain(|p| !p.starts_with("bank-folder/evidence/"));
    log.push_str(&format!("files:\n{}\n", made.join("\n")));
    insta::assert_snapshot!(log);
}
