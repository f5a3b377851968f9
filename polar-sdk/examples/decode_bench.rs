//! Decode speed of the generated models, no network: builds one list response with 100,000
//! customer meters (about 135 MB) and times decoding it into the generated types, next to
//! decoding the same bytes into `serde_json::Value`, and the parts (customers, meters). Then
//! the shape a stream sees: 1,000 pages of 100 items, each decoded and dropped in turn.
//!
//! Run with a release build: `cargo run --release -p polar-sdk --example decode_bench`.
//!
//! `decode_bench PAGE.json [TIMES]` instead decodes one saved list response (a page of
//! `stream_bench serve`, say) TIMES times (default 1,000) on one thread, as a stream does, and
//! prints the time per 100,000 items: the loop the profiles in BENCHMARKS.md were taken of
//! (`valgrind --tool=callgrind target/release/examples/decode_bench PAGE.json 50`).

use polar_sdk::models::ListResourceCustomerMeter;

fn main() {
    if let Some(path) = std::env::args().nth(1) {
        let times = std::env::args()
            .nth(2)
            .map_or(1000, |n| n.parse().expect("TIMES is a number"));
        return decode_file(&path, times);
    }
    let one = r#"{"id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","created_at":"2025-01-01T12:00:00.123456Z","modified_at":null,"customer_id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","meter_id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","consumed_units":25.0,"credited_units":100,"balance":75.0,
"customer":{"id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","created_at":"2025-01-01T12:00:00Z","modified_at":null,"metadata":{"plan":"pro","seats":3},"external_id":"usr_1337","email":"a@example.com","email_verified":true,"type":"individual","name":"John Doe","billing_name":null,"billing_address":{"line1":null,"line2":null,"postal_code":null,"city":null,"state":null,"country":"US"},"tax_id":["911144442","us_ein"],"locale":null,"organization_id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","default_payment_method_id":null,"deleted_at":null,"first_user_event_at":null,"avatar_url":"https://www.gravatar.com/avatar/xxx?d=404"},
"meter":{"metadata":{},"created_at":"2025-01-01T12:00:00Z","modified_at":null,"id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","name":"API calls","unit":"scalar","custom_label":null,"custom_multiplier":null,"filter":{"conjunction":"and","clauses":[{"property":"name","operator":"eq","value":"api_call"},{"conjunction":"or","clauses":[]}]},"aggregation":{"func":"sum","property":"tokens"},"organization_id":"6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34","archived_at":null}}"#;
    let n = 100_000;
    let mut body = String::from(r#"{"items":["#);
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        body.push_str(one);
    }
    body.push_str(r#"],"pagination":{"total_count":100000,"max_page":1}}"#);
    let bytes = body.into_bytes();
    println!("{} MB", bytes.len() / 1_000_000);
    let item: serde_json::Value = serde_json::from_str(one).unwrap();
    let cust = &item["customer"].to_string();
    let meter = &item["meter"].to_string();
    let arr = |x: &str| format!("[{}]", vec![x; n].join(","));
    let (ca, ma) = (arr(cust), arr(meter));
    let t = std::time::Instant::now();
    let v: Vec<polar_sdk::models::Customer> = serde_json::from_str(&ca).unwrap();
    println!("Vec<Customer> (tagged): {:?} {}", t.elapsed(), v.len());
    let t = std::time::Instant::now();
    let v: Vec<polar_sdk::models::CustomerIndividual> = serde_json::from_str(&ca).unwrap();
    println!("Vec<CustomerIndividual>: {:?} {}", t.elapsed(), v.len());
    let t = std::time::Instant::now();
    let v: Vec<polar_sdk::models::Meter> = serde_json::from_str(&ma).unwrap();
    println!("Vec<Meter>: {:?} {}", t.elapsed(), v.len());
    let t = std::time::Instant::now();
    let v: Vec<serde_json::Value> = serde_json::from_str(&ma).unwrap();
    println!("Vec<Value> meters: {:?} {}", t.elapsed(), v.len());
    let page = {
        let mut body = String::from(r#"{"items":["#);
        for i in 0..100 {
            if i > 0 {
                body.push(',');
            }
            body.push_str(one);
        }
        body.push_str(r#"],"pagination":{"total_count":100000,"max_page":1000}}"#);
        body.into_bytes()
    };
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let mut count = 0;
        for _ in 0..1000 {
            // As the SDK decodes: UTF-8 validated once, then parsed from `&str`.
            let text = std::str::from_utf8(&page).unwrap();
            let decoded: ListResourceCustomerMeter = serde_json::from_str(text).unwrap();
            count += decoded.items.len();
        }
        println!(
            "1,000 pages of 100, typed: {:?} ({count} items)",
            t.elapsed()
        );
    }
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let page: ListResourceCustomerMeter = serde_json::from_slice(&bytes).unwrap();
        println!(
            "typed decode: {:?} ({} items)",
            t.elapsed(),
            page.items.len()
        );
        let t = std::time::Instant::now();
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        println!(
            "Value decode: {:?} ({})",
            t.elapsed(),
            v["items"].as_array().unwrap().len()
        );
    }
}

/// Decodes the list response in `path` `times` times, each from the bytes as a stream gets them.
fn decode_file(path: &str, times: usize) {
    let page = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let started = std::time::Instant::now();
    let mut items = 0;
    for _ in 0..times {
        let text = std::str::from_utf8(&page).expect("UTF-8");
        let decoded: ListResourceCustomerMeter = serde_json::from_str(text).expect("a page");
        items += decoded.items.len();
    }
    let elapsed = started.elapsed();
    println!(
        "{items} items in {elapsed:?}: {:.0} ms per 100,000 items",
        elapsed.as_secs_f64() * 1e3 * 100_000.0 / items.max(1) as f64
    );
}
