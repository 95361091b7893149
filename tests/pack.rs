//! `aims pack` and `aims verify`: deterministic, atomic, verifiable packs.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

fn pack(args: &[&str]) -> Out {
    let mut all = vec!["pack", "--as-of", "2026-11-24"];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn two_packs_of_the_same_input_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.zip");
    let b = dir.path().join("b.zip");
    assert_eq!(
        pack(&["examples/bank", "--output", a.to_str().unwrap()]).code,
        0
    );
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        pack(&["examples/bank", "--output", b.to_str().unwrap()]).code,
        0
    );
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn the_pack_holds_reports_soa_data_inventory_evidence_and_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pack");
    let o = pack(&["examples/bank", "--output", p.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    for f in [
        "index.html",
        "manifest.json",
        "reports/report.html",
        "reports/report.md",
        "soa/soa.md",
        "soa/soa.html",
        "soa/soa.csv",
        "data/gap.json",
        "data/classification.json",
        "inventory/aims.toml",
        "inventory/aims/systems.yaml",
        "inventory/aims/controls-extra/bank-controls.yaml",
        "evidence/policies/ai-policy.md",
    ] {
        assert!(p.join(f).is_file(), "{f} missing from the pack");
    }
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["format"], "aims-pack");
    assert_eq!(m["as_of"], "2026-11-24");
    assert_eq!(m["generated_at"], "2026-11-24T00:00:00Z");
    assert_eq!(m["tool"], "aims");
    assert!(m["catalog_version"].is_string());
    assert!(m.get("git_commit").is_some());
    let files = m["files"].as_array().unwrap();
    for f in files {
        let path = f["path"].as_str().unwrap();
        let bytes = std::fs::read(p.join(path)).unwrap();
        assert_eq!(f["size"].as_u64().unwrap(), bytes.len() as u64, "{path}");
    }
    // The missing validation report is named with its reason.
    let left = m["left_out"].as_array().unwrap();
    assert!(
        left.iter()
            .any(|l| l["cited"] == "records/model-validation-2026Q2.pdf"
                && l["reason"].as_str().unwrap().contains("does not exist"))
    );
    // Links in the packed report point into the pack's evidence folder.
    let html = std::fs::read_to_string(p.join("reports/report.html")).unwrap();
    assert!(html.contains("href=\"../evidence/policies/ai-policy.md\""));
    let index = std::fs::read_to_string(p.join("index.html")).unwrap();
    assert!(
        index.contains("href=\"reports/report.html\"")
            && index.contains("href=\"evidence/policies/ai-policy.md\"")
    );
}

fn verify(args: &[&str]) -> Out {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn verify_catches_a_changed_byte_a_removed_file_and_an_added_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pack");
    let ps = p.to_str().unwrap();
    assert_eq!(pack(&["examples/hospital", "--output", ps]).code, 0);
    assert_eq!(verify(&[ps]).code, 0);

    let target = p.join("evidence/policies/ai-policy.md");
    let mut bytes = std::fs::read(&target).unwrap();
    bytes[10] ^= 0x01;
    std::fs::write(&target, &bytes).unwrap();
    let o = verify(&[ps]);
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains("changed: evidence/policies/ai-policy.md"),
        "{}",
        o.stdout
    );
    bytes[10] ^= 0x01;
    std::fs::write(&target, &bytes).unwrap();
    assert_eq!(verify(&[ps]).code, 0);

    std::fs::remove_file(p.join("soa/soa.csv")).unwrap();
    let o = verify(&[ps]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("missing: soa/soa.csv"), "{}", o.stdout);

    std::fs::write(p.join("evidence/extra.md"), "slipped in").unwrap();
    let o = verify(&[ps]);
    assert!(
        o.stdout.contains("extra: evidence/extra.md"),
        "{}",
        o.stdout
    );
}

#[test]
fn verify_catches_a_changed_byte_inside_a_zip() {
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("p.zip");
    let zs = z.to_str().unwrap();
    assert_eq!(pack(&["examples/hospital", "--output", zs]).code, 0);
    assert_eq!(verify(&[zs]).code, 0);
    // Evidence is stored uncompressed: find a policy's text in the zip and flip one byte.
    let mut bytes = std::fs::read(&z).unwrap();
    let needle = std::fs::read(root().join("examples/hospital/policies/ai-policy.md")).unwrap();
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("stored evidence in the zip");
    bytes[at + 5] ^= 0x01;
    std::fs::write(&z, &bytes).unwrap();
    let o = verify(&[zs]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("changed: evidence/policies/ai-policy.md"),
        "{}",
        o.stdout
    );
}

#[test]
fn not_a_pack_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(verify(&[dir.path().to_str().unwrap()]).code, 2);
    assert_eq!(verify(&["Cargo.toml"]).code, 2);
    assert_eq!(verify(&["no/such/pack.zip"]).code, 2);
    std::fs::write(dir.path().join("manifest.json"), "{\"format\": \"other\"}").unwrap();
    assert_eq!(verify(&[dir.path().to_str().unwrap()]).code, 2);
}

#[test]
fn an_existing_path_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let z = dir.path().join("p.zip");
    std::fs::write(&z, "precious").unwrap();
    let o = pack(&["examples/hospital", "--output", z.to_str().unwrap()]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("pass --force"), "{}", o.stderr);
    assert_eq!(std::fs::read_to_string(&z).unwrap(), "precious");
    assert_eq!(
        pack(&[
            "examples/hospital",
            "--output",
            z.to_str().unwrap(),
            "--force"
        ])
        .code,
        0
    );
    assert_eq!(verify(&[z.to_str().unwrap()]).code, 0);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_root_is_not_followed() {
    let out = tempfile::tempdir().unwrap();
    let p = out.path().join("pack");
    let o = pack(&["tests/fixtures/gap", "--output", p.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!p.join("evidence/docs/leak.md").exists());
    for e in walkdir::WalkDir::new(&p) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
            assert!(
                !text.contains("SECRET-CONTENT-XYZ"),
                "{} holds the outside file",
                e.path().display()
            );
        }
    }
    let m = std::fs::read_to_string(p.join("manifest.json")).unwrap();
    assert!(
        m.contains("docs/leak.md") && m.contains("outside the evidence root"),
        "left out with its reason"
    );
    assert!(o.stderr.contains("left out docs/leak.md"), "{}", o.stderr);
}

#[cfg(unix)]
#[test]
fn a_killed_pack_leaves_nothing_at_path() {
    // Enough evidence that packing takes a moment: 60 files of 1 MB.
    let src = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(src.path().join("records")).unwrap();
    let chunk: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
    for i in 0..60 {
        std::fs::write(src.path().join(format!("records/r{i:02}.bin")), &chunk).unwrap();
    }
    std::fs::write(
        src.path().join("aims.yaml"),
        "version: 1\norganization: {name: Big}\ncontrols:\n  A.6.2.6: {status: implemented, evidence: [\"records/*.bin\"]}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("big.zip");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("aims"))
        .args([
            "pack",
            src.path().to_str().unwrap(),
            "--output",
            target.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as its temporary file appears beside the target.
    let start = Instant::now();
    loop {
        let tmp = std::fs::read_dir(out.path()).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".aims-tmp-")
        });
        if tmp || start.elapsed() > Duration::from_secs(30) {
            break;
        }
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(!target.exists(), "a killed pack must leave nothing at PATH");
    assert!(!Path::new(&target).with_extension("zip.tmp").exists());
    // The next run sweeps what the killed one left, and writes a whole pack.
    aims()
        .args([
            "pack",
            src.path().to_str().unwrap(),
            "--output",
            target.to_str().unwrap(),
        ])
        .assert()
        .success();
    let left: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec!["big.zip".to_string()],
        "temporary files left behind"
    );
}

#[test]
fn signed_packs_verify_with_the_right_key_only() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("auditor");
    let other = dir.path().join("other");
    assert_eq!(run(&["keygen", "--output", key.to_str().unwrap()]).code, 0);
    assert_eq!(
        run(&["keygen", "--output", other.to_str().unwrap()]).code,
        0
    );
    assert_eq!(
        run(&["keygen", "--output", key.to_str().unwrap()]).code,
        2,
        "never overwrites a key"
    );
    let pub_key = format!("{}.pub", key.display());
    let other_pub = format!("{}.pub", other.display());
    let z = dir.path().join("signed.zip");
    let zs = z.to_str().unwrap();
    assert_eq!(
        pack(&[
            "examples/bank",
            "--output",
            zs,
            "--sign",
            key.to_str().unwrap()
        ])
        .code,
        0
    );
    let o = verify(&[zs, "--key", &pub_key]);
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert!(o.stdout.contains("valid Ed25519 signature"), "{}", o.stdout);
    let o = verify(&[zs, "--key", &other_pub]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("does not match"), "{}", o.stdout);
    // An unsigned pack fails a signature check.
    let u = dir.path().join("unsigned.zip");
    assert_eq!(
        pack(&["examples/bank", "--output", u.to_str().unwrap()]).code,
        0
    );
    let o = verify(&[u.to_str().unwrap(), "--key", &pub_key]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("not signed"), "{}", o.stdout);
}
