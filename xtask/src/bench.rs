//! `cargo xtask bench`: how fast polar-sdk streams a long list, against the floor (transport
//! alone, a naive reqwest + serde_json client) and, where Node and Python are present, Polar's
//! official TypeScript and Python SDKs. Writes BENCHMARKS.md.
//!
//! Every client is its own process, run against one loopback server of precomputed pages
//! (`polar-sdk/examples/stream_bench.rs`); the clients take turns within each round, in an order
//! that rotates, so a load that comes and goes spreads over all of them. Wall time is measured
//! here from spawn to exit; CPU time (user + system) and peak RSS come from `wait4`.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use xtask::cli::{self, Args, Failure};

/// `cargo xtask bench --help`.
pub const HELP: &str = "\
usage: cargo xtask bench [--items N] [--rounds R] [--memory-items N] [--no-official] [--out FILE]

Builds polar-sdk's stream_bench example (release), starts its loopback server of customer-meter
pages (100 a page) and times, in interleaved rounds, these clients streaming every item:
polar-sdk `into_stream()`, polar-sdk `Page::next` loop, reqwest alone (bodies read, not
decoded), a naive reqwest + serde_json client of plain structs and, unless --no-official and
where node/npm and python3 are present, Polar's TypeScript (@polar-sh/sdk@1.0.1) and Python
(polar-sdk==1.0.2) SDKs, installed into target/bench/. Then the Rust clients once at
--memory-items, for memory. Writes medians (min-max) of wall, CPU and peak RSS to the report.
Not part of the tests or of CI. Build cost is `cargo xtask bench-build`.

  --items N         items per run (default: 100000)
  --rounds R        rounds (default: 5)
  --memory-items N  items of the memory run (default: 1000000; 0 skips it)
  --no-official     leave out the TypeScript and Python SDKs
  --out FILE        the report (default: BENCHMARKS.md)
  -h, --help        print this help
";

const LIMIT: usize = 100;
/// The line after which the report's hand-written notes start; a new run keeps them.
const NOTES_MARKER: &str = "<!-- notes: written by hand, kept by cargo xtask bench -->";
const TS_SDK: &str = "@polar-sh/sdk@1.0.1";
const PY_SDK: &str = "polar-sdk==1.0.2";
const TS_CLIENT: &str = include_str!("../bench/ts_client.mjs");
const PY_CLIENT: &str = include_str!("../bench/py_client.py");

/// One client: its name in the report and how to start it (the URL, items and page size are
/// appended).
struct Client {
    name: &'static str,
    program: PathBuf,
    args: Vec<String>,
    rust: bool,
}

/// What one run cost.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    /// Peak resident set, KiB.
    rss: u64,
}

/// Runs the benchmark.
pub fn command(root: &Path, args: &[String]) -> Result<ExitCode, Failure> {
    let args = Args::parse(
        args,
        &["--no-official"],
        &["--items", "--rounds", "--memory-items", "--out"],
        HELP,
    )?;
    let number = |name: &str, default: usize, min: usize| -> Result<usize, Failure> {
        match args.value(name) {
            None => Ok(default),
            Some(text) => text.parse().ok().filter(|n| *n >= min).ok_or_else(|| {
                Failure::Usage(format!("`{name}` needs a number of at least {min}\n{HELP}"))
            }),
        }
    };
    let items = number("--items", 100_000, 1)?;
    let rounds = number("--rounds", 5, 1)?;
    let memory_items = number("--memory-items", 1_000_000, 0)?;
    let out = root.join(args.value("--out").unwrap_or("BENCHMARKS.md"));
    let started_at = now_utc();
    let load_before = load_average();

    let binary = build(root)?;
    let mut clients: Vec<Client> = ["sdk-stream", "sdk-pages", "transport", "naive"]
        .into_iter()
        .map(|name| Client {
            name,
            program: binary.clone(),
            args: vec![name.to_owned()],
            rust: true,
        })
        .collect();
    let mut notes = Vec::new();
    if args.switch("--no-official") {
        notes.push("official SDKs left out (--no-official)".to_owned());
    } else {
        let scratch = cli::target_dir(root).join("bench");
        match typescript(&scratch) {
            Ok(client) => clients.push(client),
            Err(why) => notes.push(format!("TypeScript SDK skipped: {why}")),
        }
        match python(&scratch) {
            Ok(client) => clients.push(client),
            Err(why) => notes.push(format!("Python SDK skipped: {why}")),
        }
    }
    for note in &notes {
        eprintln!("note: {note}");
    }

    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); clients.len()];
    {
        let server = Server::start(&binary, items)?;
        for round in 0..rounds {
            for turn in 0..clients.len() {
                let index = (turn + round) % clients.len();
                let client = &clients[index];
                let sample = run(client, &server.url, items)?;
                eprintln!(
                    "round {}/{rounds} {:<12} {:>7.3} s wall {:>7.3} s CPU {:>7.1} MB",
                    round + 1,
                    client.name,
                    sample.wall.as_secs_f64(),
                    sample.cpu.as_secs_f64(),
                    sample.rss as f64 / 1024.0
                );
                samples[index].push(sample);
            }
        }
    }
    let mut memory: Vec<(&str, Sample)> = Vec::new();
    if memory_items > 0 {
        let server = Server::start(&binary, memory_items)?;
        for client in clients.iter().filter(|c| c.rust && c.name != "transport") {
            let sample = run(client, &server.url, memory_items)?;
            eprintln!(
                "{memory_items} items {:<12} {:>7.3} s wall {:>7.1} MB",
                client.name,
                sample.wall.as_secs_f64(),
                sample.rss as f64 / 1024.0
            );
            memory.push((client.name, sample));
        }
    }
    let report = Report {
        items,
        rounds,
        memory_items,
        started_at,
        load_before,
        load_after: load_average(),
        clients: &clients,
        samples: &samples,
        memory: &memory,
        notes: &notes,
    }
    .render();
    // Notes written by hand below the marker (a profile, what the figures mean) are kept.
    let kept = std::fs::read_to_string(&out)
        .ok()
        .and_then(|old| old.find(NOTES_MARKER).map(|at| old[at..].to_owned()))
        .unwrap_or_else(|| format!("{NOTES_MARKER}\n"));
    let report = format!("{report}\n{kept}");
    std::fs::write(&out, &report).map_err(|e| format!("{}: {e}", out.display()))?;
    print!("{report}");
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// Builds the example in release and returns its path.
fn build(root: &Path) -> Result<PathBuf, Failure> {
    eprintln!("building polar-sdk's stream_bench example (release, customer_meters only)");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args([
            "build",
            "--release",
            "-p",
            "polar-sdk",
            "--no-default-features",
            "--features",
            "customer_meters",
            "--example",
            "stream_bench",
        ])
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err("building the stream_bench example failed".into());
    }
    Ok(cli::target_dir(root).join("release/examples/stream_bench"))
}

/// The loopback server; it exits when dropped (its standard input closes).
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(binary: &Path, items: usize) -> Result<Server, Failure> {
        let mut child = Command::new(binary)
            .args(["serve", &items.to_string(), &LIMIT.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("the server's output")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("the server's output: {e}"))?;
        let Some(url) = line.trim().strip_prefix("listening ") else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("the server did not start: {line:?}").into());
        };
        Ok(Server {
            url: url.to_owned(),
            child,
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// Runs one client to the end and measures it; fails unless it exits 0 and reports `items`.
fn run(client: &Client, url: &str, items: usize) -> Result<Sample, Failure> {
    let started = Instant::now();
    let mut child = Command::new(&client.program)
        .args(&client.args)
        .args([url.to_owned(), items.to_string(), LIMIT.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", client.program.display()))?;
    let mut stderr = child.stderr.take().ok_or("the client's errors")?;
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut output = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut output);
    }
    let (status, usage) = wait4(child.id()).map_err(|e| format!("{}: {e}", client.name))?;
    let wall = started.elapsed();
    let errors = errors.join().unwrap_or_default();
    let expected = format!("items {items}");
    if status != Some(0) || !output.lines().any(|line| line.trim() == expected) {
        let tail: String = errors
            .chars()
            .rev()
            .take(2000)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Err(format!(
            "{} failed (exit {status:?}, output {:?}):\n{tail}",
            client.name,
            output.trim()
        )
        .into());
    }
    Ok(Sample {
        wall,
        cpu: usage.0,
        rss: usage.1,
    })
}

/// Waits for the process and returns its exit code (`None` if a signal ended it) with its CPU
/// time (user + system) and peak RSS in KiB.
#[allow(unsafe_code)]
fn wait4(pid: u32) -> std::io::Result<(Option<i32>, (Duration, u64))> {
    let mut status = 0;
    // SAFETY: `rusage` is plain old data, for which all-zero bytes are a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pointers are to live locals of the right types; `pid` is our child, not yet
    // reaped (std's `Child` is not waited on after this).
    let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    if reaped < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Ok((
        code,
        (
            time(usage.ru_utime) + time(usage.ru_stime),
            usage.ru_maxrss as u64,
        ),
    ))
}

fn found(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Quiet unless it fails; then the end of its output is the error.
fn quietly(command: &mut Command) -> Result<(), String> {
    let output = command.output().map_err(|e| e.to_string())?;
    if output.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&output.stderr);
    let start = text.len().saturating_sub(1500);
    Err(text.get(start..).unwrap_or(&text).trim().to_owned())
}

/// Installs the TypeScript SDK into `scratch/ts` (once) and returns its client.
fn typescript(scratch: &Path) -> Result<Client, String> {
    if !found("node") || !found("npm") {
        return Err("node or npm not found".into());
    }
    let dir = scratch.join("ts");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if !dir
        .join("node_modules/@polar-sh/sdk/package.json")
        .is_file()
    {
        eprintln!("installing {TS_SDK} into {}", dir.display());
        std::fs::write(dir.join("package.json"), "{\"private\":true}\n")
            .map_err(|e| e.to_string())?;
        quietly(Command::new("npm").current_dir(&dir).args([
            "install",
            "--no-audit",
            "--no-fund",
            "--save-exact",
            TS_SDK,
        ]))?;
    }
    let script = dir.join("client.mjs");
    std::fs::write(&script, TS_CLIENT).map_err(|e| e.to_string())?;
    Ok(Client {
        name: "typescript",
        program: PathBuf::from("node"),
        args: vec![script.display().to_string()],
        rust: false,
    })
}

/// Installs the Python SDK into a virtual environment `scratch/py` (once) and returns its
/// client.
fn python(scratch: &Path) -> Result<Client, String> {
    if !found("python3") {
        return Err("python3 not found".into());
    }
    let dir = scratch.join("py");
    let python = dir.join("bin/python");
    if !python.is_file() {
        eprintln!("creating a virtual environment in {}", dir.display());
        quietly(Command::new("python3").arg("-m").arg("venv").arg(&dir))?;
    }
    let check = Command::new(&python)
        .args(["-c", "import polar.v2026_10"])
        .stderr(Stdio::null())
        .status();
    if !check.is_ok_and(|status| status.success()) {
        eprintln!("installing {PY_SDK} into {}", dir.display());
        quietly(Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            PY_SDK,
        ]))?;
    }
    let script = dir.join("client.py");
    std::fs::write(&script, PY_CLIENT).map_err(|e| e.to_string())?;
    Ok(Client {
        name: "python",
        program: python,
        args: vec![script.display().to_string()],
        rust: false,
    })
}

fn now_utc() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".into())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| {
            let parts: Vec<&str> = text.split_whitespace().take(3).collect();
            (parts.len() == 3).then(|| parts.join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The processor's model, the number of cores and the memory.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or("unknown processor", |(_, model)| model.trim());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let kib: u64 = text
                .lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()?;
            Some(format!("{:.0} GiB", kib as f64 / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown memory".into());
    format!(
        "{model}, {cores} cores, {memory}, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

struct Report<'a> {
    items: usize,
    rounds: usize,
    memory_items: usize,
    started_at: String,
    load_before: String,
    load_after: String,
    clients: &'a [Client],
    samples: &'a [Vec<Sample>],
    memory: &'a [(&'a str, Sample)],
    notes: &'a [String],
}

/// Median, min and max.
fn spread<T: Copy + PartialOrd>(mut values: Vec<T>) -> (T, T, T) {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    (
        values[values.len() / 2],
        values[0],
        values[values.len() - 1],
    )
}

impl Report<'_> {
    fn render(&self) -> String {
        let mut text = String::new();
        let push = |text: &mut String, line: String| {
            text.push_str(&line);
            text.push('\n');
        };
        push(&mut text, "# Benchmarks".into());
        push(&mut text, String::new());
        push(
            &mut text,
            "Written by `cargo xtask bench` (its `--help` says what it runs); rerun it to refresh."
                .into(),
        );
        push(&mut text, String::new());
        push(&mut text, format!("- date: {}", self.started_at));
        push(&mut text, format!("- machine: {}", machine()));
        push(
            &mut text,
            format!(
                "- load average (1, 5, 15 min) before: {}, after: {}",
                self.load_before, self.load_after
            ),
        );
        push(
            &mut text,
            format!(
                "- {} items, {LIMIT} a page ({} pages), {} interleaved rounds; medians, (min-max)",
                thousands(self.items),
                thousands(self.items.div_ceil(LIMIT)),
                self.rounds
            ),
        );
        for note in self.notes {
            push(&mut text, format!("- {note}"));
        }
        push(&mut text, String::new());
        push(&mut text, "## Streaming a list".into());
        push(&mut text, String::new());
        push(
            &mut text,
            "| client | wall (s) | CPU (s) | peak RSS (MB) | wall / polar-sdk stream |".into(),
        );
        push(&mut text, "|---|---|---|---|---|".into());
        let wall_of = |name: &str| {
            self.clients.iter().position(|c| c.name == name).map(|i| {
                spread(
                    self.samples[i]
                        .iter()
                        .map(|s| s.wall.as_secs_f64())
                        .collect(),
                )
                .0
            })
        };
        let reference = wall_of("sdk-stream").unwrap_or(f64::NAN);
        for (client, samples) in self.clients.iter().zip(self.samples) {
            let wall = spread(samples.iter().map(|s| s.wall.as_secs_f64()).collect());
            let cpu = spread(samples.iter().map(|s| s.cpu.as_secs_f64()).collect());
            let rss = spread(samples.iter().map(|s| s.rss as f64 / 1024.0).collect());
            push(
                &mut text,
                format!(
                    "| {} | {:.3} ({:.3}-{:.3}) | {:.3} ({:.3}-{:.3}) | {:.1} ({:.1}-{:.1}) | {:.2}x |",
                    describe(client.name),
                    wall.0, wall.1, wall.2,
                    cpu.0, cpu.1, cpu.2,
                    rss.0, rss.1, rss.2,
                    wall.0 / reference
                ),
            );
        }
        push(&mut text, String::new());
        let ratio = |a: &str, b: &str| match (wall_of(a), wall_of(b)) {
            (Some(a), Some(b)) => Some(a / b),
            _ => None,
        };
        for (a, b, what) in [
            ("typescript", "sdk-stream", "the TypeScript SDK takes"),
            ("python", "sdk-stream", "the Python SDK takes"),
            (
                "naive",
                "sdk-stream",
                "the naive reqwest + serde_json client takes",
            ),
            ("sdk-stream", "transport", "polar-sdk's stream takes"),
        ] {
            if let Some(r) = ratio(a, b) {
                let of = if b == "transport" {
                    "the transport alone"
                } else {
                    "polar-sdk's stream"
                };
                push(&mut text, format!("- {what} {r:.2}x the wall time of {of}"));
            }
        }
        if !self.memory.is_empty() {
            push(&mut text, String::new());
            push(&mut text, "## Memory at scale".into());
            push(&mut text, String::new());
            push(
                &mut text,
                format!(
                    "One run of each Rust client over {} items ({} pages):",
                    thousands(self.memory_items),
                    thousands(self.memory_items.div_ceil(LIMIT))
                ),
            );
            push(&mut text, String::new());
            push(
                &mut text,
                "| client | wall (s) | CPU (s) | peak RSS (MB) |".into(),
            );
            push(&mut text, "|---|---|---|---|".into());
            for (name, sample) in self.memory {
                push(
                    &mut text,
                    format!(
                        "| {} | {:.3} | {:.3} | {:.1} |",
                        describe(name),
                        sample.wall.as_secs_f64(),
                        sample.cpu.as_secs_f64(),
                        sample.rss as f64 / 1024.0
                    ),
                );
            }
        }
        push(&mut text, String::new());
        push(&mut text, "## Build cost".into());
        push(&mut text, String::new());
        push(
            &mut text,
            "`cargo xtask bench-build` times a cold build of polar-sdk with every resource and with \
             one, against a crate of the same dependencies and no code."
                .into(),
        );
        text
    }
}

fn describe(name: &str) -> &'static str {
    match name {
        "sdk-stream" => "polar-sdk `into_stream()`",
        "sdk-pages" => "polar-sdk `Page::next` loop",
        "transport" => "reqwest alone, bodies not decoded",
        "naive" => "naive reqwest + serde_json, plain structs",
        "typescript" => "TypeScript SDK 1.0.1 (Node)",
        "python" => "Python SDK 1.0.2",
        _ => "other",
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
