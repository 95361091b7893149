//! A catalogue overlay (`[catalog] extra = ["extra.yaml"]`) from arbitrary
//! bytes, over the embedded catalogue, with a valid inventory. An overlay
//! that loads adds groups and controls that every output then shows, so a
//! project that loads goes through the whole check pipeline.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static SETUP: std::sync::Once = std::sync::Once::new();
    SETUP.call_once(|| {
        common::put("aims.yaml", common::INVENTORY.as_bytes());
        common::put(
            "aims.toml",
            b"evidence_root = \"evidence\"\n[catalog]\nextra = [\"extra.yaml\"]\n",
        );
    });
    common::put("extra.yaml", data);
    match common::load() {
        Ok(p) => common::judge(&p),
        Err(f) => common::report_failure(&f),
    }
});
