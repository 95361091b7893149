//! The baseline of the scale benchmarks: how long serde-saphyr itself takes
//! to parse the given YAML files into an untyped value, with the budget
//! `aims` uses (`aims::load::yaml::parse_options`). Prints the best of three, in
//! seconds: `cargo run --release --example parse-yaml -- FILE...`.

use std::time::{Duration, Instant};

/// The allocator `aims` itself uses, so that the baseline and the tool are
/// measured on the same footing.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let texts: Vec<String> = std::env::args()
        .skip(1)
        .map(|p| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}")))
        .collect();
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        for text in &texts {
            let v: serde_json::Value =
                serde_saphyr::from_str_with_options(text, aims::load::yaml::parse_options())
                    .expect("valid YAML");
            std::hint::black_box(v);
        }
        best = best.min(t.elapsed());
    }
    println!("{:.4}", best.as_secs_f64());
}
