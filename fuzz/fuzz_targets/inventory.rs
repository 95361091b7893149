//! An inventory file from arbitrary bytes: `aims.yaml` alone in a folder,
//! loaded as `aims check` loads it. A failed load must come back as
//! diagnostics (never a panic, a hang or unbounded memory), and rendering
//! them must not panic either.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::put("aims.yaml", data);
    match common::load() {
        Ok(p) => {
            std::hint::black_box(p.inventory.systems.len());
        }
        Err(f) => common::report_failure(&f),
    }
});
