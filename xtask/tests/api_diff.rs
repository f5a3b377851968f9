//! `cargo xtask api-diff` as users run it: exit codes, both formats, bad input.

use std::path::Path;
use std::process::Command;

mod support;

use support::{root, scratch, xtask};

/// Our own document, and a copy with a new required query parameter on `customer_meters:list`.
fn pair(dir: &Path) -> (String, String) {
    let spec = std::fs::read_to_string(root().join(xtask::SPEC)).unwrap();
    let mut changed: serde_json::Value = serde_json::from_str(&spec).unwrap();
    changed["paths"]["/v1/customer-meters/"]["get"]["parameters"]
        .as_array_mut()
        .expect("customer_meters:list has parameters")
        .insert(
            0,
            serde_json::json!({"name": "region", "in": "query", "required": true,
                "schema": {"type": "string"}}),
        );
    let (old, new) = (dir.join("old.json"), dir.join("new.json"));
    std::fs::write(&old, spec).unwrap();
    std::fs::write(&new, serde_json::to_string_pretty(&changed).unwrap()).unwrap();
    (
        old.to_str().unwrap().to_owned(),
        new.to_str().unwrap().to_owned(),
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn markdown_report_exits_zero_and_names_the_bump() {
    let dir = scratch("markdown");
    let (old, new) = pair(&dir);
    let output = xtask(&["api-diff", &old, &new]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("| breaking | 1 |"), "{stdout}");
    assert!(stdout.contains("(param-added-required at `"), "{stdout}");
    assert!(stdout.contains("minor release"), "{stdout}");
}

#[test]
fn json_report_parses_and_an_unchanged_document_reports_nothing() {
    let dir = scratch("json");
    let (old, new) = pair(&dir);
    let output = xtask(&["api-diff", &old, &new, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["summary"]["breaking"], 1);
    assert_eq!(report["rust"]["bump"], "minor");

    // The `--flag=value` form every other command takes works here too.
    let same = xtask(&["api-diff", &old, &old, "--format=json"]);
    assert_eq!(same.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&same.stdout).expect("JSON");
    assert_eq!(report["changes"].as_array().map(Vec::len), Some(0));
    assert_eq!(report["rust"]["bump"], "none");
}

#[test]
fn bad_input_exits_one_naming_the_file() {
    let dir = scratch("bad");
    let (old, _) = pair(&dir);
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"openapi\": ").unwrap();
    let broken = broken.to_str().unwrap();
    let output = xtask(&["api-diff", &old, broken]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains(broken),
        "{}",
        text(&output.stderr)
    );

    let missing = dir.join("missing.yaml");
    let missing = missing.to_str().unwrap();
    let output = xtask(&["api-diff", missing, &old]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains(missing),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(xtask(&["api-diff", "only-one.yaml"]).status.code(), Some(2));
    let output = xtask(&["api-diff", "a.yaml", "b.yaml", "--format", "xml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("usage:"));
}

/// A reader that goes away early (`| head`) ends the command quietly, without a panic.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    let dir = scratch("closed");
    let (old, new) = pair(&dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["api-diff", &old, &new])
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("xtask runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("xtask ends");
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

/// `REV:PATH` reads a committed document, so the last commit is one argument away.
#[test]
fn a_document_can_come_from_git() {
    let committed = format!("HEAD:{}", xtask::SPEC);
    let output = xtask(&["api-diff", &committed, &committed, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["old"]["path"], committed.as_str());
    assert_eq!(report["changes"].as_array().map(Vec::len), Some(0));

    let unknown = format!("no-such-revision:{}", xtask::SPEC);
    let output = xtask(&["api-diff", &unknown, xtask::SPEC]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains(&unknown),
        "{}",
        text(&output.stderr)
    );
}
