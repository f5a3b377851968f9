//! Would a SIMD JSON parser make decoding much faster? Decodes one page of customer meters
//! into the plain structs of `stream_bench`'s naive client, with serde_json and with sonic-rs
//! (both through serde, as polar-sdk's models would be), and prints the time per 100,000
//! items. Not part of the workspace or of CI; run it by hand:
//!
//! ```text
//! cargo build --release -p polar-sdk --example stream_bench
//! target/release/examples/stream_bench serve 100000 100      # prints its URL
//! curl -s 'URL/v1/customer-meters/?page=2&limit=100' > /tmp/page.json
//! cargo run --release --manifest-path xtask/bench/parsers/Cargo.toml -- /tmp/page.json
//! ```
//!
//! Each parser decodes the page 1,000 times, in 3 interleaved rounds; also the bare scan of
//! the same text (`IgnoredAny`), the part no typed decoding avoids.

use std::time::{Duration, Instant};

#[path = "../../../../polar-sdk/examples/common/naive.rs"]
mod naive;

type Decode = fn(&str) -> usize;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bench-parsers PAGE.json (a list response of customer meters)");
        std::process::exit(2);
    };
    let page = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(2)
    });
    let runs: [(&str, Decode); 4] = [
        ("serde_json, plain structs", |text| {
            serde_json::from_str::<naive::Page>(text).expect("a page").items.len()
        }),
        ("sonic-rs, plain structs", |text| {
            sonic_rs::from_str::<naive::Page>(text).expect("a page").items.len()
        }),
        ("serde_json, IgnoredAny", |text| {
            serde_json::from_str::<serde::de::IgnoredAny>(text).expect("JSON");
            0
        }),
        ("sonic-rs, IgnoredAny", |text| {
            sonic_rs::from_str::<serde::de::IgnoredAny>(text).expect("JSON");
            0
        }),
    ];
    let items = serde_json::from_str::<naive::Page>(&page).expect("a page").items.len().max(1);
    let mut best = [Duration::MAX; 4];
    for _round in 0..3 {
        for (index, (_, decode)) in runs.iter().enumerate() {
            let started = Instant::now();
            for _ in 0..1000 {
                std::hint::black_box(decode(std::hint::black_box(&page)));
            }
            best[index] = best[index].min(started.elapsed());
        }
    }
    println!("{items} items a page, {} bytes; best of 3 rounds, per 100,000 items:", page.len());
    for ((name, _), time) in runs.iter().zip(best) {
        let per_100k = time.as_secs_f64() * 100_000.0 / (1000.0 * items as f64);
        println!("  {name:28} {:.0} ms", per_100k * 1000.0);
    }
}
