//! `aims.toml` from arbitrary bytes, beside a valid inventory, a valid
//! catalogue overlay and some evidence. The settings can point anywhere
//! (globs, overlays, the evidence root, gates, rule levels, dates): the
//! load must end in a project or in diagnostics, and a project must go
//! through the whole check pipeline.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static SETUP: std::sync::Once = std::sync::Once::new();
    SETUP.call_once(|| {
        common::put("aims.yaml", common::INVENTORY.as_bytes());
        common::put("extra.yaml", common::OVERLAY.as_bytes());
    });
    common::put("aims.toml", data);
    match common::load() {
        Ok(p) => common::judge(&p),
        Err(f) => common::report_failure(&f),
    }
});
