//! Conformance driver: runs the SDK against a Prism mock server of Polar's OpenAPI document.
//!
//! Started by `cargo xtask conformance`, which installs Prism, serves the document and sets
//! `PRISM_URL`. By hand:
//!
//! ```sh
//! PRISM_URL=http://127.0.0.1:4010 cargo run -p polar-sdk --example conformance
//! ```
//!
//! Every case runs twice: with `Prefer: dynamic=true` (Prism generates each response from the
//! schemas, so every run decodes different data) and with static responses (the document's
//! examples). A case passes when the SDK call returns `Ok` (Prism accepted the request and the
//! SDK decoded the response), or, for the must-reject cases, when it returns
//! `Err(Error::HttpValidation(_))` (Prism's 422). Cases listed in the shared table of known
//! deviations (`conformance_operations/known.rs`) are tolerated only when they fail with
//! exactly that 422. Exits non-zero if any case failed.

use futures::{StreamExt, TryStreamExt};
use polar_sdk::models::CustomerMeterSortProperty;
use polar_sdk::{Error, Polar, RetryConfig};
use uuid::Uuid;

// The table of known Prism deviations, shared with the every-operation driver.
#[path = "conformance_operations/known.rs"]
mod known;

const ORG_A: &str = "6f1c2a9e-4b7d-4e3a-9c21-5d8e0f7a1b34";
const ORG_B: &str = "1dbfc517-0bbf-4301-9ba8-555ca42b9737";
const CUSTOMER_A: &str = "3b8e2f61-8c4d-4f0a-b5e7-2a9d1c6f0e48";
const CUSTOMER_B: &str = "9a7c5e31-2d4b-4c8e-a1f6-7b3e9d0c5a12";
const METER_A: &str = "c2d4e6f8-1a3b-4c5d-8e7f-90a1b2c3d4e5";
const METER_B: &str = "0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b";

#[derive(Default)]
struct Report {
    passed: usize,
    failed: usize,
    deviations: usize,
    fixed: usize,
}

impl Report {
    /// A case that must succeed (request accepted, response decoded).
    fn accept<T>(
        &mut self,
        mode: &str,
        name: &str,
        result: Result<T, Error>,
        show: impl Fn(&T) -> String,
    ) {
        let known = known::reason(&format!("customer_meters:{name}"), mode);
        match (result, known) {
            (Ok(value), None) => {
                self.passed += 1;
                println!("PASS  [{mode}] {name}: {}", show(&value));
            }
            (Ok(value), Some(_)) => {
                self.passed += 1;
                self.fixed += 1;
                println!(
                    "FIXED  [{mode}] {name}: passes now ({}); remove it from KNOWN",
                    show(&value)
                );
            }
            (Err(Error::HttpValidation(_)), Some(reason)) => {
                self.deviations += 1;
                println!("KNOWN  [{mode}] {name}: 422 HttpValidation; {reason}");
            }
            (Err(e), _) => {
                self.failed += 1;
                println!("FAIL  [{mode}] {name}: {}", describe(&e));
            }
        }
    }

    /// A case Prism must reject with a 422 that the SDK surfaces as `Error::HttpValidation`.
    fn reject<T>(&mut self, mode: &str, name: &str, result: Result<T, Error>) {
        match result {
            Err(Error::HttpValidation(_)) => {
                self.passed += 1;
                println!("PASS  [{mode}] {name}: rejected, Error::HttpValidation (422)");
            }
            Ok(_) => {
                self.failed += 1;
                println!("FAIL  [{mode}] {name}: accepted, but it must be rejected with 422");
            }
            Err(e) => {
                self.failed += 1;
                println!(
                    "FAIL  [{mode}] {name}: expected Error::HttpValidation, got {}",
                    describe(&e)
                );
            }
        }
    }

    /// A case whose expected outcome is a specific error, checked by `expected`.
    fn error<T>(
        &mut self,
        mode: &str,
        name: &str,
        result: Result<T, Error>,
        what: &str,
        expected: fn(&Error) -> bool,
    ) {
        match result {
            Err(e) if expected(&e) => {
                self.passed += 1;
                println!("PASS  [{mode}] {name}: {what}");
            }
            Ok(_) => {
                self.failed += 1;
                println!("FAIL  [{mode}] {name}: succeeded, expected {what}");
            }
            Err(e) => {
                self.failed += 1;
                println!(
                    "FAIL  [{mode}] {name}: expected {what}, got {}",
                    describe(&e)
                );
            }
        }
    }
}

fn describe(e: &Error) -> String {
    let kind = match e {
        Error::ResourceNotFound(_) => "ResourceNotFound",
        Error::HttpValidation(_) => "HttpValidation",
        Error::Api(_) => "Api",
        Error::Decode(_) => "Decode",
        Error::Timeout(_) => "Timeout",
        Error::Connect(_) => "Connect",
        Error::Transport(_) => "Transport",
        Error::Config(_) => "Config",
        Error::InvalidRequest(_) => "InvalidRequest",
        _ => "other",
    };
    format!("Error::{kind}: {e}")
}

fn client(url: &str, prefer: Option<&str>) -> Result<Polar, Error> {
    let mut builder = Polar::builder()
        .access_token("conformance-token")
        .server_url(url)
        .retry(RetryConfig::none());
    if let Some(prefer) = prefer {
        builder = builder.default_header("Prefer", prefer);
    }
    builder.build()
}

fn uuid(text: &str) -> Uuid {
    text.parse().expect("a valid uuid literal")
}

fn page_summary(page: &polar_sdk::Page<polar_sdk::models::CustomerMeter>) -> String {
    format!(
        "{} items decoded (page {}, total_count {}, max_page {})",
        page.items.len(),
        page.number(),
        page.pagination.total_count,
        page.pagination.max_page
    )
}

/// Runs every case against one client; `mode` labels the output.
async fn run(report: &mut Report, polar: &Polar, not_found: &Polar, mode: &str) {
    let meters = polar.customer_meters();

    report.accept(
        mode,
        "list (no parameters)",
        meters.list().send().await,
        page_summary,
    );

    // Each filter as one value and as a list of two.
    let (org_a, org_b) = (uuid(ORG_A), uuid(ORG_B));
    let (customer_a, customer_b) = (uuid(CUSTOMER_A), uuid(CUSTOMER_B));
    let (meter_a, meter_b) = (uuid(METER_A), uuid(METER_B));
    let result = meters.list().organization_id(org_a).send().await;
    report.accept(
        mode,
        "list organization_id=<one uuid>",
        result,
        page_summary,
    );
    let result = meters.list().organization_id([org_a, org_b]).send().await;
    report.accept(
        mode,
        "list organization_id=[two uuids]",
        result,
        page_summary,
    );
    let result = meters.list().customer_id(customer_a).send().await;
    report.accept(mode, "list customer_id=<one uuid>", result, page_summary);
    let result = meters
        .list()
        .customer_id(vec![customer_a, customer_b])
        .send()
        .await;
    report.accept(mode, "list customer_id=[two uuids]", result, page_summary);
    let result = meters.list().meter_id(meter_a).send().await;
    report.accept(mode, "list meter_id=<one uuid>", result, page_summary);
    let result = meters.list().meter_id([meter_a, meter_b]).send().await;
    report.accept(mode, "list meter_id=[two uuids]", result, page_summary);
    let result = meters.list().external_customer_id("usr_1337").send().await;
    report.accept(
        mode,
        "list external_customer_id=<one string>",
        result,
        page_summary,
    );
    let result = meters
        .list()
        .external_customer_id(["usr_1337", "usr 42/ä&x=y"])
        .send()
        .await;
    report.accept(
        mode,
        "list external_customer_id=[two strings]",
        result,
        page_summary,
    );
    let result = meters
        .list()
        .organization_id([org_a, org_b])
        .customer_id(customer_a)
        .external_customer_id(["usr_1337", "usr_42"])
        .meter_id(vec![meter_a, meter_b])
        .page(2)
        .limit(5)
        .sorting([
            CustomerMeterSortProperty::BalanceDesc,
            CustomerMeterSortProperty::MeterName,
        ])
        .send()
        .await;
    report.accept(mode, "list with every parameter", result, page_summary);

    // Every sort value, alone and followed by a second value.
    for sort in CustomerMeterSortProperty::KNOWN {
        let name = format!("list sorting=[{}]", sort.as_str());
        let result = meters.list().sorting([sort.clone()]).send().await;
        report.accept(mode, &name, result, page_summary);
        let second = if *sort == CustomerMeterSortProperty::CreatedAt {
            CustomerMeterSortProperty::ModifiedAtDesc
        } else {
            CustomerMeterSortProperty::CreatedAt
        };
        let name = format!("list sorting=[{}, {}]", sort.as_str(), second.as_str());
        let result = meters.list().sorting([sort.clone(), second]).send().await;
        report.accept(mode, &name, result, page_summary);
    }

    // Paging.
    let result = meters.list().page(1).limit(1).send().await;
    report.accept(mode, "list page=1 limit=1", result, page_summary);
    let result = meters.list().page(3).limit(100).send().await;
    report.accept(mode, "list page=3 limit=100", result, page_summary);
    let result: Result<Vec<_>, Error> = meters
        .list()
        .limit(2)
        .into_stream()
        .take(3)
        .try_collect()
        .await;
    let result = match result {
        Ok(items) => Ok(format!("{} items decoded from the stream", items.len())),
        // Prism's dynamic pages are random: an empty page may claim more pages to come, and
        // the SDK reports that instead of ending the walk silently, which is what it must do.
        Err(Error::Pagination(stop)) if mode == "dynamic" => Ok(format!(
            "the stream stopped with Error::Pagination on Prism's random pages ({stop})"
        )),
        Err(e) => Err(e),
    };
    report.accept(
        mode,
        "list limit=2 into_stream().take(3)",
        result,
        String::clone,
    );

    // Get.
    let result = meters.get(uuid(CUSTOMER_A)).send().await;
    report.accept(mode, "get <uuid>", result, |meter| {
        format!("decoded customer meter {}", meter.id)
    });
    let result = not_found.customer_meters().get(uuid(METER_A)).send().await;
    report.error(
        mode,
        "get <uuid> with Prefer: code=404",
        result,
        "Error::ResourceNotFound (404)",
        |e| matches!(e, Error::ResourceNotFound(_)),
    );

    // Requests Prism must reject, surfaced as Error::HttpValidation.
    report.reject(mode, "list limit=0", meters.list().limit(0).send().await);
    report.reject(mode, "list page=0", meters.list().page(0).send().await);
    report.reject(mode, "list limit=-1", meters.list().limit(-1).send().await);
    let bogus = CustomerMeterSortProperty::Unknown("not_a_sort_key".into());
    let result = meters
        .list()
        .sorting([bogus, CustomerMeterSortProperty::CreatedAt])
        .send()
        .await;
    report.reject(mode, "list sorting=[not_a_sort_key, created_at]", result);
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let Ok(url) = std::env::var("PRISM_URL") else {
        eprintln!("set PRISM_URL (cargo xtask conformance does)");
        return std::process::ExitCode::from(2);
    };
    let mut report = Report::default();
    for (mode, prefer, prefer_404) in [
        ("dynamic", Some("dynamic=true"), "code=404, dynamic=true"),
        ("static", None, "code=404"),
    ] {
        let clients =
            client(&url, prefer).and_then(|polar| Ok((polar, client(&url, Some(prefer_404))?)));
        let (polar, not_found) = match clients {
            Ok(clients) => clients,
            Err(e) => {
                eprintln!("cannot build the client: {e}");
                return std::process::ExitCode::FAILURE;
            }
        };
        run(&mut report, &polar, &not_found, mode).await;
    }
    println!(
        "known deviations tolerated: {} (KNOWN in polar-sdk/examples/conformance_operations/known.rs); passing again: {}",
        report.deviations, report.fixed
    );
    println!("{} passed, {} failed", report.passed, report.failed);
    if report.failed == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
