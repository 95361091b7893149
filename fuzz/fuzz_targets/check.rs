//! The whole check pipeline on arbitrary bytes. The input is an inventory
//! (`aims.yaml`), optionally followed by a NUL byte and an `aims.toml`
//! (a NUL cannot appear in a valid YAML file, so the split costs the
//! fuzzer nothing). A project that loads is judged as `aims check`,
//! `aims gap`, `aims readiness`, `aims plan`, `aims soa` and `aims report`
//! judge it, and every output is rendered.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (yaml, toml) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    common::put("aims.yaml", yaml);
    match toml {
        Some(t) => common::put("aims.toml", t),
        None => common::remove("aims.toml"),
    }
    match common::load() {
        Ok(p) => common::judge(&p),
        Err(f) => common::report_failure(&f),
    }
});
