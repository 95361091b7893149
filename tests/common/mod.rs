#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(p: &str) -> PathBuf {
    root().join("tests/fixtures").join(p)
}

/// The real binary, run from the repository root, with a fixed clock.
pub fn aims() -> Command {
    let mut c = Command::cargo_bin("aims").expect("binary");
    c.current_dir(root());
    c.env("SOURCE_DATE_EPOCH", "1795478400"); // 2026-11-24T00:00:00Z
    c.env("NO_COLOR", "1");
    c.env_remove("RUST_BACKTRACE");
    c
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Out {
    run_in(&root(), args)
}

pub fn run_in(dir: &Path, args: &[&str]) -> Out {
    let o = aims().current_dir(dir).args(args).output().expect("runs");
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert!(
        !out.stderr.contains("panicked"),
        "aims panicked on {args:?}:\n{}",
        out.stderr
    );
    out
}

/// Copy a folder and everything in it (a symlink is copied as what it
/// points at).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// The entry for control `id` in a JSON envelope's `data.controls` (as
/// `aims gap` and `aims soa` write them).
pub fn control<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["data"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// Convert a YAML file to JSON through aims' own node tree (keys as text,
/// as aims reads them), for validating with a JSON Schema validator.
pub fn yaml_to_json(text: &str) -> serde_json::Value {
    use aims::load::yaml::{Node, Value};
    fn conv(n: &Node) -> serde_json::Value {
        match &n.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
            }
            Value::Str(s) => s.clone().into(),
            Value::Seq(items) => items.iter().map(conv).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| (k.key_text().unwrap_or_default(), conv(v)))
                .collect(),
        }
    }
    conv(&aims::load::yaml::parse(text.trim_start_matches('\u{feff}')).expect("valid YAML"))
}
