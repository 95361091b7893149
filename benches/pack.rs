//! Pack and verify benchmark: a generated inventory of 10,000 systems and
//! 200 MB of evidence (2,000 files of 100 KB), packed to a zip and to a
//! folder, verified, and compared with `sha256sum` over the same evidence.
//! Run with `cargo bench --bench pack`; figures go in BENCHMARKS.md.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SYSTEMS: usize = 10_000;
const FILES: usize = 2_000;
const FILE_SIZE: usize = 100 * 1024;

fn generate(root: &Path) {
    std::fs::create_dir_all(root.join("records")).unwrap();
    // Incompressible bytes, like the PDFs and scans real evidence is made of.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..FILES {
        let mut buf = vec![0u8; FILE_SIZE];
        for chunk in buf.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
        }
        std::fs::write(root.join(format!("records/r{i:05}.bin")), buf).unwrap();
    }
    let mut s = String::from(
        "version: 1\norganization: {name: Bench Ltd, aims_owner: lead}\nroles: [{id: lead, title: Lead}]\ncontrols:\n  A.6.2.6: {status: implemented, owner: lead, evidence: [{path: \"records/*.bin\", reviewed: 2026-11-01}]}\nsystems:\n",
    );
    for i in 0..SYSTEMS {
        let _ = writeln!(
            s,
            "  - {{id: s{i}, name: System {i}, owner: lead, lifecycle: operation, role: deployer, eu_ai_act: {{in_scope: false}}, controls: {{A.6.2.8: {{status: implemented, owner: lead, evidence: [{{path: records/r{:05}.bin, reviewed: 2026-11-01}}]}}}}}}",
            i % FILES
        );
    }
    std::fs::write(root.join("aims.yaml"), s).unwrap();
}

fn time(mut cmd: Command) -> Duration {
    let start = Instant::now();
    let out = cmd.output().expect("runs");
    let t = start.elapsed();
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{:?}: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    t
}

fn main() {
    let aims = env!("CARGO_BIN_EXE_aims");
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("aims");
    generate(&src);
    let zip = dir.path().join("pack.zip");
    let folder = dir.path().join("pack");

    let mut pack_zip = Command::new(aims);
    pack_zip
        .args(["pack", "--quiet", "--as-of", "2026-11-24"])
        .arg(&src)
        .arg("--output")
        .arg(&zip)
        .env("SOURCE_DATE_EPOCH", "1795478400");
    let t_pack_zip = time(pack_zip);
    let mut pack_dir = Command::new(aims);
    pack_dir
        .args(["pack", "--quiet", "--as-of", "2026-11-24"])
        .arg(&src)
        .arg("--output")
        .arg(&folder)
        .env("SOURCE_DATE_EPOCH", "1795478400");
    let t_pack_dir = time(pack_dir);

    let best = |args: &[&std::ffi::OsStr]| {
        (0..3)
            .map(|_| {
                let mut c = Command::new(aims);
                c.args(args);
                time(c)
            })
            .min()
            .unwrap()
    };
    let t_verify_zip = best(&["verify".as_ref(), zip.as_os_str()]);
    let t_verify_dir = best(&["verify".as_ref(), folder.as_os_str()]);
    let t_sha = (0..3)
        .map(|_| {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg("sha256sum records/*.bin > /dev/null")
                .current_dir(&src);
            time(c)
        })
        .min()
        .unwrap();
    let zip_mb = std::fs::metadata(&zip).unwrap().len() as f64 / 1e6;
    println!(
        "{SYSTEMS} systems, {FILES} evidence files, {:.0} MB of evidence; zip {zip_mb:.0} MB",
        (FILES * FILE_SIZE) as f64 / 1e6
    );
    println!("pack to zip      {:>7.2} s", t_pack_zip.as_secs_f64());
    println!("pack to folder   {:>7.2} s", t_pack_dir.as_secs_f64());
    println!(
        "verify zip       {:>7.2} s (best of 3)",
        t_verify_zip.as_secs_f64()
    );
    println!(
        "verify folder    {:>7.2} s (best of 3)",
        t_verify_dir.as_secs_f64()
    );
    println!(
        "sha256sum        {:>7.2} s (best of 3, evidence files only)",
        t_sha.as_secs_f64()
    );
}
