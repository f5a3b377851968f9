//! Conformance driver for every operation: calls each operation of the SDK against a Prism
//! mock server of Polar's document and checks that Prism accepts the request and the SDK
//! decodes the response.
//!
//! `cargo xtask conformance` installs Prism, serves the document and runs this with
//! `PRISM_URL` set. By hand:
//!
//! ```sh
//! PRISM_URL=http://127.0.0.1:4010 cargo run -p polar-sdk --example conformance_operations
//! ```
//!
//! The calls are generated (`cases.rs`, from the IR by `cargo xtask codegen`): each operation
//! once with its required parameters and a minimal body (`required`), and once with every
//! optional parameter and optional body fields set (`all-optional`). Every call runs twice:
//! with `Prefer: dynamic=true` (Prism generates the response from the schemas) and without
//! (Prism answers the document's example, or a static one built from the schema). A call
//! passes when it returns `Ok`. It fails on any error: a request Prism rejects (its `422`
//! surfaces as `Error::HttpValidation`, other statuses as `Error::Api`), a response the SDK
//! cannot decode (`Error::Decode`), or a sample that does not decode into the SDK's own
//! request type (a generator bug). Calls listed in `known.rs` (the one table of known Prism
//! deviations, shared with `examples/conformance.rs`) are reported as `KNOWN` and counted
//! apart; one that passes is reported as `FIXED` so the table can shrink.

// Generated: formatted by the generator, not by rustfmt.
#[rustfmt::skip]
mod cases;
mod known;

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;

use polar_sdk::{ByteStream, Error, MaybeReady, Page, Polar, RetryConfig};

/// A call's future: a short description of what was decoded, or why it failed.
pub type Run = Pin<Box<dyn Future<Output = Result<String, Failure>>>>;

/// One row of the generated table.
pub struct Call {
    /// The operation id (`customers:create`).
    pub id: &'static str,
    /// `required` or `all-optional`.
    pub case: &'static str,
    /// Builds the request with the client and sends it.
    pub run: fn(Polar) -> Run,
}

/// Why a call failed.
pub enum Failure {
    /// A sample value does not decode into the SDK type it is meant for.
    Sample(String),
    /// The SDK call failed.
    Sdk(Error),
}

/// Decodes a sample (JSON text) into the SDK type an argument or setter takes.
pub fn v<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Failure> {
    serde_json::from_str(json).map_err(|e| {
        Failure::Sample(format!(
            "the sample {json} does not decode into {}: {e}",
            short_name::<T>()
        ))
    })
}

/// A JSON response.
pub fn json<T>(result: Result<T, Error>) -> Result<String, Failure> {
    result
        .map(|_| format!("decoded {}", short_name::<T>()))
        .map_err(Failure::Sdk)
}

/// One page of a paginated list.
pub fn page<T>(result: Result<Page<T>, Error>) -> Result<String, Failure> {
    result
        .map(|page| {
            format!(
                "decoded a page of {} {} (total_count {})",
                page.items.len(),
                short_name::<T>(),
                page.pagination.total_count
            )
        })
        .map_err(Failure::Sdk)
}

/// A response that may be `202 Accepted` instead of the result.
pub fn maybe_ready<T>(result: Result<MaybeReady<T>, Error>) -> Result<String, Failure> {
    result
        .map(|ready| match ready {
            MaybeReady::Ready(_) => format!("decoded {}", short_name::<T>()),
            MaybeReady::Accepted => "202 Accepted".to_owned(),
        })
        .map_err(Failure::Sdk)
}

/// A response without a body.
pub fn empty(result: Result<(), Error>) -> Result<String, Failure> {
    result
        .map(|()| "no body, as documented".to_owned())
        .map_err(Failure::Sdk)
}

/// A body handed over as bytes (CSV): read to its end.
pub async fn bytes(result: Result<ByteStream, Error>) -> Result<String, Failure> {
    match result {
        Ok(stream) => stream
            .collect()
            .await
            .map(|body| format!("read {} bytes", body.len()))
            .map_err(Failure::Sdk),
        Err(e) => Err(Failure::Sdk(e)),
    }
}

/// `polar_sdk::models::Customer` → `Customer`, `Vec<…::Customer>` → `Vec<Customer>`.
fn short_name<T>() -> String {
    let full = std::any::type_name::<T>();
    let mut out = String::new();
    for (index, part) in full.split("::").enumerate() {
        if index > 0 && !out.ends_with(['<', ' ', '(', ',']) {
            // Drop the path before the last segment of each name.
            let cut = out.rfind(['<', ' ', '(', ',']).map_or(0, |at| at + 1);
            out.truncate(cut);
        }
        out.push_str(part);
    }
    out
}

/// The error in one line, without the token (the SDK's errors never contain it).
fn describe(failure: &Failure) -> String {
    match failure {
        Failure::Sample(text) => format!("sample: {text}"),
        Failure::Sdk(e) => {
            let kind = match e {
                Error::HttpValidation(_) => "HttpValidation (Prism rejected the request)",
                Error::Decode(_) => "Decode (the SDK cannot decode the response)",
                Error::ResourceNotFound(_) => "ResourceNotFound",
                Error::Api(_) => "Api",
                Error::Documented { .. } => "Documented",
                Error::InvalidRequest(_) => "InvalidRequest (the SDK refused to send)",
                Error::Timeout(_) => "Timeout",
                Error::Connect(_) => "Connect",
                Error::Transport(_) => "Transport",
                _ => "other",
            };
            format!("Error::{kind}: {e}")
        }
    }
}

#[derive(Default)]
struct Counts {
    passed: usize,
    failed: usize,
    known: usize,
    fixed: usize,
}

fn client(url: &str, prefer: Option<&str>) -> Result<Polar, Error> {
    // One client with every kind of token: each operation sends the kind it accepts (none
    // for the public ones), as a real program holding them all would.
    let mut builder = Polar::builder()
        .access_token("conformance-organization-token")
        .customer_session_token("conformance-customer-session-token")
        .member_session_token("conformance-member-session-token")
        .server_url(url)
        .retry(RetryConfig::none());
    if let Some(prefer) = prefer {
        builder = builder.default_header("Prefer", prefer);
    }
    builder.build()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Ok(url) = std::env::var("PRISM_URL") else {
        eprintln!("set PRISM_URL (cargo xtask conformance does)");
        return ExitCode::from(2);
    };
    let mut counts = Counts::default();
    for (mode, prefer) in [("dynamic", Some("dynamic=true")), ("static", None)] {
        let polar = match client(&url, prefer) {
            Ok(polar) => polar,
            Err(e) => {
                eprintln!("cannot build the client: {e}");
                return ExitCode::FAILURE;
            }
        };
        for call in &cases::CALLS {
            let result = (call.run)(polar.clone()).await;
            let (id, case) = (call.id, call.case);
            match (result, known::reason(&format!("{id} {case}"), mode)) {
                (Ok(what), None) => {
                    counts.passed += 1;
                    println!("PASS {id} {case} ({mode}): {what}");
                }
                (Ok(what), Some(_)) => {
                    counts.passed += 1;
                    counts.fixed += 1;
                    println!(
                        "FIXED {id} {case} ({mode}): passes now ({what}); remove it from KNOWN"
                    );
                }
                // Only Prism's refusal of a request is a known deviation; any other error
                // (a response the SDK cannot decode) fails even on a listed call.
                (Err(failure @ Failure::Sdk(Error::HttpValidation(_))), Some(reason)) => {
                    counts.known += 1;
                    println!(
                        "KNOWN {id} {case} ({mode}): {}; {reason}",
                        describe(&failure)
                    );
                }
                (Err(failure), _) => {
                    counts.failed += 1;
                    println!("FAIL {id} {case} ({mode}): {}", describe(&failure));
                }
            }
        }
    }
    let operations = {
        let mut ids: Vec<&str> = cases::CALLS.iter().map(|c| c.id).collect();
        ids.dedup();
        ids.len()
    };
    println!(
        "{operations} operations, {} calls in each of 2 modes; known Prism deviations: {} \
         (KNOWN in polar-sdk/examples/conformance_operations/known.rs); passing again: {}",
        cases::COUNT,
        counts.known,
        counts.fixed
    );
    println!("{} passed, {} failed", counts.passed, counts.failed);
    if counts.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
