//! `--format xlsx` of `aims soa`, `aims gap` and `aims risks`: each
//! workbook is read back with calamine and checked cell by cell against
//! the JSON output of the same command; dates are Excel dates, levels are
//! coloured, user text is never a formula, and the bytes are the same on
//! every run.

mod common;

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use common::*;
use serde_json::Value;

const EXAMPLES: &[&str] = &["examples/bank", "examples/hospital"];
const AS_OF: &str = "2026-09-01";

/// The header row of a sheet with `notes` extra lines above it (see
/// `aims::render::xlsx::header_row`).
fn header_row(notes: usize) -> usize {
    aims::render::xlsx::header_row(notes) as usize
}

fn xlsx(dir: &Path, args: &[&str]) -> Vec<u8> {
    let o = aims()
        .current_dir(dir)
        .args(args)
        .args(["--format", "xlsx", "--as-of", AS_OF])
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.starts_with(b"PK"), "{args:?}: not a zip");
    o.stdout
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json", "--as-of", AS_OF]);
    serde_json::from_str(&run(&all).stdout).unwrap()
}

/// Every cell of the first sheet, from A1.
fn cells(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.start(), Some((0, 0)));
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("{other:?} is not text"),
    }
}

/// An Excel date cell as YYYY-MM-DD.
fn date(d: &Data) -> String {
    let Data::DateTime(x) = d else {
        panic!("{d:?} is not a date")
    };
    let day = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
        + chrono::Duration::days(x.as_f64() as i64);
    day.format("%Y-%m-%d").to_string()
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn check_top(rows: &[Vec<Data>]) {
    assert_eq!(text(&rows[1][0]), "As of");
    assert_eq!(date(&rows[1][1]), AS_OF);
    assert_eq!(text(&rows[2][0]), "Catalogue");
    assert!(text(&rows[2][1]).contains("ISO/IEC 42001"));
}

#[test]
fn soa_xlsx_is_the_soa_json_cell_by_cell() {
    for ex in EXAMPLES {
        let rows = cells(&xlsx(&root(), &["soa", ex]));
        check_top(&rows);
        let h = header_row(0);
        let head: Vec<String> = rows[h].iter().map(text).collect();
        assert_eq!(head, aims::render::soa::SOA_COLUMNS);
        let controls = json(&["soa", ex])["data"]["controls"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(rows.len() - h - 1, controls.len(), "{ex}");
        for (row, c) in rows[h + 1..].iter().zip(&controls) {
            let ev: Vec<String> = c["evidence"].as_array().unwrap().iter().map(s).collect();
            let want = [
                s(&c["id"]),
                s(&c["title"]),
                s(&c["group"]),
                if c["applicable"] == true { "yes" } else { "no" }.to_string(),
                s(&c["justification"]),
                s(&c["level"]),
                s(&c["owner"]),
                ev.join("; "),
            ];
            let got: Vec<String> = row[..8].iter().map(text).collect();
            assert_eq!(got, want, "{ex}");
            match c["reviewed"].as_str() {
                Some(d) => assert_eq!(date(&row[8]), d, "{ex}"),
                None => assert!(row.get(8).is_none_or(|c| *c == Data::Empty)),
            }
        }
    }
}

#[test]
fn gap_xlsx_is_the_gap_json_cell_by_cell() {
    for ex in EXAMPLES {
        let rows = cells(&xlsx(&root(), &["gap", ex]));
        check_top(&rows);
        let data = json(&["gap", ex])["data"].clone();
        assert_eq!(text(&rows[3][0]), "Score");
        assert_eq!(
            text(&rows[3][1]),
            format!("{:.1}", data["summary"]["score"].as_f64().unwrap())
        );
        let h = header_row(1);
        let head: Vec<String> = rows[h].iter().map(text).collect();
        let systems: Vec<String> = head
            .iter()
            .filter_map(|c| c.strip_prefix("System ").map(str::to_string))
            .collect();
        assert!(!systems.is_empty(), "{ex}");
        let controls = data["controls"].as_array().unwrap();
        assert_eq!(rows.len() - h - 1, controls.len(), "{ex}");
        for (row, c) in rows[h + 1..].iter().zip(controls) {
            let mut want = vec![
                s(&c["id"]),
                s(&c["title"]),
                s(&c["group"]),
                s(&c["kind"]),
                s(&c["level"]),
            ];
            want.extend(systems.iter().map(|x| s(&c["systems"][x])));
            want.extend([s(&c["overall"]), s(&c["owner"]), s(&c["reason"])]);
            let got: Vec<String> = row.iter().map(text).collect();
            assert_eq!(got, want, "{ex}");
        }
    }
}

#[test]
fn risks_xlsx_is_the_risks_json_cell_by_cell() {
    for ex in EXAMPLES {
        let rows = cells(&xlsx(&root(), &["risks", ex]));
        check_top(&rows);
        let data = json(&["risks", ex])["data"].clone();
        assert_eq!(text(&rows[3][1]), data["appetite"].to_string());
        let h = header_row(1);
        let risks = data["risks"].as_array().unwrap();
        assert_eq!(rows.len() - h - 1, risks.len(), "{ex}");
        let mut dates = 0;
        let join = |v: &Value| {
            v.as_array()
                .unwrap()
                .iter()
                .map(s)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let num = |d: &Data| match d {
            Data::Float(f) => Value::from(*f as u64),
            Data::Empty => Value::Null,
            other => panic!("{other:?} is not a number"),
        };
        for (row, r) in rows[h + 1..].iter().zip(risks) {
            assert_eq!(text(&row[0]), s(&r["id"]));
            assert_eq!(text(&row[1]), s(&r["title"]));
            assert_eq!(text(&row[2]), join(&r["systems"]));
            assert_eq!(text(&row[3]), s(&r["source"]));
            assert_eq!(text(&row[4]), s(&r["objective"]));
            assert_eq!(num(&row[5]), r["likelihood"]);
            assert_eq!(num(&row[6]), r["impact"]);
            assert_eq!(num(&row[7]), r["score"]);
            assert_eq!(
                text(&row[8]),
                if r["above_appetite"] == true {
                    "yes"
                } else {
                    "no"
                }
            );
            assert_eq!(text(&row[9]), s(&r["treatment"]));
            assert_eq!(text(&row[10]), join(&r["controls"]));
            assert_eq!(
                num(row.get(11).unwrap_or(&Data::Empty)),
                r["residual_score"]
            );
            assert_eq!(text(row.get(12).unwrap_or(&Data::Empty)), s(&r["owner"]));
            assert_eq!(
                text(row.get(13).unwrap_or(&Data::Empty)),
                s(&r["accepted_by"])
            );
            match r["review_by"].as_str() {
                Some(d) => {
                    assert_eq!(date(&row[14]), d);
                    dates += 1;
                }
                None => assert!(row.get(14).is_none_or(|c| *c == Data::Empty)),
            }
        }
        assert!(dates > 0, "{ex}: no review date to check");
    }
}

/// The zip entry `name` of a workbook, as text.
fn entry(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut f = z.by_name(name).unwrap();
    let mut out = String::new();
    f.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn user_text_is_never_a_formula_and_levels_are_coloured() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    copy_dir(&root().join("examples/bank"), &bank);
    let org = bank.join("aims/organization.yaml");
    let yaml = std::fs::read_to_string(&org).unwrap();
    let yaml = yaml.replace(
        "  A.10.4:\n    applicable: false\n",
        "  A.10.4:\n    applicable: false\n    justification: \"=HYPERLINK(\\\"https://evil.example\\\",\\\"x\\\")\"\n",
    );
    std::fs::write(&org, yaml).unwrap();
    let bytes = xlsx(&bank, &["soa"]);
    let sheet = entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("<f>"), "a cell holds a formula");
    let rows = cells(&bytes);
    let row = rows.iter().find(|r| text(&r[0]) == "A.10.4").unwrap();
    assert_eq!(text(&row[4]), "=HYPERLINK(\"https://evil.example\",\"x\")");
    // Each level has its own fill colour.
    let styles = entry(&bytes, "xl/styles.xml");
    for rgb in ["FFF8D7DA", "FFD1E7DD", "FFE2E3E5"] {
        assert!(styles.contains(rgb), "no fill {rgb}");
    }
    // The header row is frozen and filtered.
    assert!(sheet.contains("<pane ySplit=\"5\""), "{sheet:.600}");
    assert!(sheet.contains("<autoFilter ref=\"A5:I"), "no autofilter");
}

#[test]
fn workbooks_are_byte_identical_across_runs() {
    for cmd in ["soa", "gap", "risks"] {
        let a = xlsx(&root(), &[cmd, "examples/bank"]);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let b = xlsx(&root(), &[cmd, "examples/bank"]);
        assert!(a == b, "{cmd}: the bytes differ");
        let core = entry(&a, "docProps/core.xml");
        assert!(core.contains("2026-09-01T00:00:00Z"), "{core}");
    }
}

/// On a terminal (a pseudo-terminal from util-linux `script`), XLSX is
/// refused with exit 2 and a hint; without `script` the test says it skipped.
#[test]
fn xlsx_is_refused_on_a_terminal() {
    let has_script = std::process::Command::new("sh")
        .args(["-c", "command -v script"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        println!("skipped: no `script` to run aims on a pseudo-terminal");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_aims");
    for cmd in ["soa", "gap", "risks"] {
        let o = std::process::Command::new("script")
            .args([
                "-qec",
                &format!("{bin} {cmd} examples/bank --format xlsx"),
                "/dev/null",
            ])
            .current_dir(root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {out}");
        assert!(
            out.contains("XLSX is a binary file: write it with --output FILE.xlsx"),
            "{cmd}: {out}"
        );
        assert!(!out.contains("PK"), "{cmd}: bytes reached the terminal");
    }
}
