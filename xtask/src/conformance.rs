//! `cargo xtask conformance`: drives the real SDK through a Prism mock server.
//!
//! For each OpenAPI document (ours in `openapi/`, then Polar's full document in
//! `../shared/openapi/` when it exists) this
//!
//! 1. installs `@stoplight/prism-cli` at [`PRISM_VERSION`] into `.conformance/prism` (once),
//! 2. writes a JSON copy of the document to `.conformance/<name>.json` with two rewrites for
//!    Prism 5 (see [`prism_compatible`]): every `"format": "uuid4"` becomes `"uuid"` (Prism does
//!    not know `uuid4`, so it would neither validate those ids nor generate uuids for them), and
//!    every 2020-12 tuple `"prefixItems": [..]` becomes the equivalent draft-07 `"items": [..]`
//!    (Prism's response generator, json-schema-faker 0.5, fails with a 500 "missing items" on
//!    `prefixItems`, e.g. on a customer's `tax_id`),
//! 3. starts `prism mock` on 127.0.0.1 at a free port,
//! 4. runs the drivers against it (`PRISM_URL`), each failing on any request Prism rejects or
//!    any response the SDK cannot decode: `polar-sdk/examples/conformance.rs` (customer_meters
//!    in depth: every filter and sort value, paging, streams, the requests Prism must reject, a
//!    404) and `polar-sdk/examples/conformance_operations/` (every operation, generated from the
//!    IR: required parameters only, then every optional one; both Prism modes),
//! 5. stops Prism by its pid, on success and on failure alike.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use xtask::cli::{Args, Failure};
use xtask::{NODE_VERSION, PRISM_VERSION};

/// `cargo xtask conformance --help`.
pub const HELP: &str = "\
usage: cargo xtask conformance

Runs the SDK's conformance drivers against a Prism mock server of openapi/, then of
../shared/openapi/polar-openapi.json when that file exists: polar-sdk/examples/conformance.rs
(customer_meters in depth) and polar-sdk/examples/conformance_operations/ (every operation,
in Prism's dynamic and static modes).
Installs @stoplight/prism-cli into .conformance/prism/ with npm the first time; needs
Node.js 18.20.1 or newer.

  -h, --help   print this help
";
/// Where Prism is installed and the rewritten documents are written (git-ignored).
const WORK_DIR: &str = ".conformance";
/// Polar's full document, relative to the repository root; optional.
const SHARED_SPEC: &str = "../shared/openapi/polar-openapi.json";
/// The drivers, run in this order against each document.
const DRIVERS: &[&str] = &["conformance", "conformance_operations"];
/// How long Prism may take to start (it needs 10–16 s on Polar's 2.7 MB document).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);

pub fn command(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    Args::parse(args, &[], &[], HELP)?;
    let started = Instant::now();
    let work = root.join(WORK_DIR);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let prism = install_prism(&work)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());

    let mut documents = vec![("polar-api", root.join(xtask::SPEC))];
    let shared = root.join(SHARED_SPEC);
    let shared_present = shared.is_file();
    if shared_present {
        documents.push(("polar-openapi", shared.clone()));
    }

    let mut failed = Vec::new();
    for (index, (name, spec)) in documents.iter().enumerate() {
        println!("\n== conformance: {} ==", spec.display());
        let served = work.join(format!("{name}.json"));
        let rewrites = write_prism_copy(spec, &served)?;
        println!(
            "wrote {} for Prism, with {} `\"format\": \"uuid4\"` rewritten to `\"uuid\"` (Prism 5 \
             does not know uuid4: it would neither validate those ids nor generate uuids) and {} \
             `prefixItems` tuples rewritten to `items: [..]` (Prism's response generator fails on \
             prefixItems)",
            served.display(),
            rewrites.uuid4,
            rewrites.prefix_items
        );
        let log_path = work.join(format!("prism-{name}.log"));
        let port = free_port()?;
        let mut server = Prism::start(&prism, &served, port, &log_path)?;
        if index == 0 {
            // Build the drivers while Prism loads the document.
            let mut build = vec!["build", "-q", "-p", "polar-sdk"];
            for driver in DRIVERS {
                build.extend(["--example", driver]);
            }
            let status = Command::new(&cargo)
                .current_dir(root)
                .args(&build)
                .status()
                .map_err(|e| format!("cannot run {cargo}: {e}"))?;
            if !status.success() {
                return Err("building the conformance drivers failed".into());
            }
        }
        server.wait_ready()?;
        println!(
            "Prism {PRISM_VERSION} ready at {} (pid {}, after {:.1} s; log: {})",
            server.url(),
            server.child.id(),
            server.started.elapsed().as_secs_f64(),
            log_path.display()
        );
        let mut driver_failed = Vec::new();
        for driver in DRIVERS {
            let driver_started = Instant::now();
            println!("\n-- driver {driver} --");
            let status = Command::new(&cargo)
                .current_dir(root)
                .args(["run", "-q", "-p", "polar-sdk", "--example", driver])
                .env("PRISM_URL", server.url())
                .status()
                .map_err(|e| format!("cannot run {cargo}: {e}"))?;
            println!(
                "-- driver {driver}: {} in {:.0} s",
                if status.success() { "passed" } else { "FAILED" },
                driver_started.elapsed().as_secs_f64()
            );
            if !status.success() {
                driver_failed.push(*driver);
            }
        }
        let log = server.log();
        drop(server);
        if !driver_failed.is_empty() {
            // Prism's error lines name the parameter or body property it objected to (they also
            // include the expected rejections, so read them next to the driver's FAIL lines).
            let errors: Vec<&str> = log
                .lines()
                .filter(|line| {
                    line.contains('✖') && (line.contains("Request") || line.contains("request."))
                })
                .collect();
            println!("Prism's last error lines:");
            for line in &errors[errors.len().saturating_sub(30)..] {
                println!("  {}", line.trim_end());
            }
            println!(
                "conformance FAILED against {} (drivers: {}; Prism's full log: {})",
                spec.display(),
                driver_failed.join(", "),
                log_path.display()
            );
            failed.push(format!("{} ({})", spec.display(), driver_failed.join(", ")));
        }
    }
    if !shared_present {
        println!(
            "\nnotice: {} is not present; skipped the conformance run against Polar's full document",
            shared.display()
        );
    }
    println!(
        "\nconformance: {} of {} documents passed in {:.0} s",
        documents.len() - failed.len(),
        documents.len(),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(format!("conformance failed against: {}", failed.join(", ")).into())
    }
}

/// Installs Prism at [`PRISM_VERSION`] unless it already is; returns the `prism` executable.
fn install_prism(work: &Path) -> Result<PathBuf, String> {
    let prefix = work.join("prism");
    let bin = prefix.join("node_modules/.bin/prism");
    let manifest = prefix.join("node_modules/@stoplight/prism-cli/package.json");
    let installed = std::fs::read_to_string(&manifest)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|json| json["version"].as_str().map(str::to_owned));
    if installed.as_deref() == Some(PRISM_VERSION) && bin.exists() {
        return Ok(bin);
    }
    println!(
        "installing @stoplight/prism-cli@{PRISM_VERSION} into {} (found: {})",
        prefix.display(),
        installed.as_deref().unwrap_or("none")
    );
    check_node()?;
    std::fs::create_dir_all(&prefix).map_err(|e| format!("{}: {e}", prefix.display()))?;
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--save-exact",
            "--ignore-scripts",
        ])
        .arg("--prefix")
        .arg(&prefix)
        .arg(format!("@stoplight/prism-cli@{PRISM_VERSION}"))
        // A dependency of Prism phones home on install and on use unless told not to.
        .env("SCARF_ANALYTICS", "false")
        .status()
        .map_err(|e| {
            format!("cannot run npm (Node.js {NODE_VERSION} or newer and npm are needed): {e}")
        })?;
    if !status.success() || !bin.exists() {
        return Err(format!(
            "npm install of @stoplight/prism-cli@{PRISM_VERSION} failed"
        ));
    }
    Ok(bin)
}

/// Fails with a clear message when `node` is missing or older than [`NODE_VERSION`].
fn check_node() -> Result<(), String> {
    let version = |text: &str| -> Option<Vec<u64>> {
        let text = text.trim().trim_start_matches('v');
        text.split('.').map(|part| part.parse().ok()).collect()
    };
    let output = Command::new("node")
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run node (Node.js {NODE_VERSION} or newer is needed): {e}"))?;
    let found = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    match (version(&found), version(NODE_VERSION)) {
        (Some(found_version), Some(needed)) if found_version < needed => Err(format!(
            "Prism {PRISM_VERSION} needs Node.js {NODE_VERSION} or newer; `node --version` says {found}"
        )),
        _ => Ok(()),
    }
}

/// What [`prism_compatible`] changed.
#[derive(Debug, Default, PartialEq, Eq)]
struct Rewrites {
    uuid4: usize,
    prefix_items: usize,
}

/// Loads `spec` (JSON or YAML), makes it Prism-compatible, and writes it as JSON.
fn write_prism_copy(spec: &Path, out: &Path) -> Result<Rewrites, String> {
    let mut document = codegen::load::load_file(spec).map_err(|e| e.to_string())?;
    let mut rewrites = Rewrites::default();
    prism_compatible(&mut document.root, &mut rewrites);
    let json = serde_json::to_vec(&document.root).map_err(|e| e.to_string())?;
    std::fs::write(out, json).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(rewrites)
}

/// Rewrites the two constructs Prism 5 mishandles into equivalents it understands:
///
/// * `"format": "uuid4"` → `"format": "uuid"`. Prism does not know `uuid4`: it neither checks
///   such ids in requests nor generates uuids for them (it answers `"id": "string"`).
/// * `"prefixItems": [A, B]` (JSON Schema 2020-12 tuple, no `items`) → `"items": [A, B]` (the
///   draft-07 tuple Prism's validator and json-schema-faker understand). Unrewritten, a dynamic
///   response that includes such a tuple fails in Prism with a 500 ("missing items").
fn prism_compatible(value: &mut Value, rewrites: &mut Rewrites) {
    match value {
        Value::Object(map) => {
            if let Some(format) = map.get_mut("format") {
                if format == "uuid4" {
                    *format = Value::from("uuid");
                    rewrites.uuid4 += 1;
                }
            }
            if map.get("prefixItems").is_some_and(Value::is_array) && !map.contains_key("items") {
                if let Some(tuple) = map.remove("prefixItems") {
                    map.insert("items".to_owned(), tuple);
                    rewrites.prefix_items += 1;
                }
            }
            for child in map.values_mut() {
                prism_compatible(child, rewrites);
            }
        }
        Value::Array(items) => {
            for item in items {
                prism_compatible(item, rewrites);
            }
        }
        _ => {}
    }
}

/// A port nothing listens on right now (bind to port 0, read it, release it).
fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// A running `prism mock`; dropping it kills the process (by its pid) and reaps it.
struct Prism {
    child: Child,
    port: u16,
    log_path: PathBuf,
    started: Instant,
}

impl Prism {
    fn start(bin: &Path, spec: &Path, port: u16, log_path: &Path) -> Result<Self, String> {
        let log = File::create(log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let log_err = log.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(bin)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            .env("SCARF_ANALYTICS", "false")
            .env("NO_COLOR", "1")
            .env("FORCE_COLOR", "0")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        Ok(Self {
            child,
            port,
            log_path: log_path.to_owned(),
            started: Instant::now(),
        })
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits until Prism answers HTTP (any status), or fails with its output.
    fn wait_ready(&mut self) -> Result<(), String> {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let deadline = self.started + STARTUP_TIMEOUT;
        loop {
            if answers_http(&addr) {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "Prism exited ({status}) before it answered; its output:\n{}",
                    self.log()
                ));
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "Prism did not answer on {} within {} s; its output:\n{}",
                    self.url(),
                    STARTUP_TIMEOUT.as_secs(),
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_else(|e| format!("(no log: {e})"))
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let pid = self.child.id();
        match self.child.try_wait() {
            Ok(Some(status)) => println!("Prism (pid {pid}) had already exited: {status}"),
            _ => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                println!("stopped Prism (pid {pid})");
            }
        }
    }
}

/// Connects and sends a minimal HTTP request; true once any HTTP status line comes back.
fn answers_http(addr: &SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    let mut read = 0;
    while read < head.len() {
        match stream.read(&mut head[read..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
    }
    head.starts_with(b"HTTP/1.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_uuid4_and_prefix_items() {
        let mut doc = serde_json::json!({
            "a": {"type": "string", "format": "uuid4"},
            "b": [{"format": "uuid4"}, {"format": "date-time"}, {"items": {"format": "uuid4"}}],
            "c": {"format": "uuid"},
            "t": {"type": "array", "prefixItems": [{"type": "string"}, {"format": "uuid4"}]},
            "u": {"prefixItems": [{"type": "string"}], "items": false}
        });
        let mut rewrites = Rewrites::default();
        prism_compatible(&mut doc, &mut rewrites);
        assert_eq!(
            rewrites,
            Rewrites {
                uuid4: 4,
                prefix_items: 1
            }
        );
        assert_eq!(doc["a"]["format"], "uuid");
        assert_eq!(doc["b"][2]["items"]["format"], "uuid");
        assert_eq!(doc["b"][1]["format"], "date-time");
        assert_eq!(doc["t"]["items"][1]["format"], "uuid");
        assert!(doc["t"].get("prefixItems").is_none());
        assert_eq!(
            doc["u"]["items"], false,
            "a tuple with `items` is left alone"
        );
        let mut again = Rewrites::default();
        prism_compatible(&mut doc, &mut again);
        assert_eq!(again, Rewrites::default());
    }
}
