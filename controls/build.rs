//! The embedded catalogue is written in YAML for people; `aims` reads it at
//! every start, where parsing YAML was 40% of a run on the examples. The
//! build converts it to JSON once (the same value: a test in
//! `catalog` holds the two parses equal), which parses ten times faster.

use std::path::Path;

const EMBEDDED: [&str; 3] = ["iso42001", "annex_c", "eu_ai_act"];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in EMBEDDED {
        let src = format!("controls/{name}.yaml");
        println!("cargo::rerun-if-changed={src}");
        let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let value: serde_json::Value =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{src}: {e}"));
        let json = serde_json::to_string(&value).expect("a JSON value serialises");
        std::fs::write(Path::new(&out).join(format!("{name}.json")), json)
            .unwrap_or_else(|e| panic!("{out}: {e}"));
    }
}
