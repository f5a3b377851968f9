//! `cargo xtask codegen` as users run it: drift check, `--spec/--out`, and bad input
//! (clear error naming file and JSON pointer, non-zero exit, nothing written).

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;

use support::{root, scratch, stderr, stdout, xtask};

/// The committed generated code matches `openapi/`: `cargo test` alone catches drift.
#[test]
fn committed_generated_code_is_up_to_date() {
    let config = codegen::Config::load(&root().join(xtask::CONFIG)).unwrap();
    let generation = xtask::generate_committed(&root(), &config).unwrap();
    let drift = codegen::output::check(&root().join(xtask::OUT), &generation.files);
    let listed: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(
        drift.is_empty(),
        "generated code is stale; run `cargo xtask codegen` and commit:\n{}",
        listed.join("\n")
    );
}

#[test]
fn check_passes_on_the_repository() {
    let output = xtask(&["codegen", "--check"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn check_names_every_stale_missing_and_extra_file() {
    let dir = scratch("check");
    let spec = root().join(xtask::SPEC);
    let spec = spec.to_str().unwrap();
    let out = dir.to_str().unwrap();
    let written = xtask(&["codegen", "--spec", spec, "--out", out]);
    assert!(written.status.success(), "{}", stderr(&written));
    assert!(xtask(&["codegen", "--check", "--spec", spec, "--out", out])
        .status
        .success());

    let models = dir.join("src/generated/models/customer_meters.rs");
    let text = std::fs::read_to_string(&models).unwrap();
    std::fs::write(
        &models,
        text.replace("pub struct CustomerMeter ", "pub struct Renamed "),
    )
    .unwrap();
    std::fs::remove_file(dir.join("src/generated/filters.rs")).unwrap();
    let header = codegen::format::HEADER;
    std::fs::write(
        dir.join("src/generated/old_resource.rs"),
        format!("{header}fn x() {{}}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("docs/old_resource.md"),
        codegen::format::MARKDOWN_HEADER,
    )
    .unwrap();
    std::fs::write(
        dir.join("src/generated/hand_written.rs"),
        "fn not_generated() {}\n",
    )
    .unwrap();
    let page = dir.join("docs/customer_meters.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("## list", "## lists")).unwrap();

    let output = xtask(&["codegen", "--check", "--spec", spec, "--out", out]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("stale:") && text.contains("models/customer_meters.rs"),
        "{text}"
    );
    assert!(
        text.contains("missing:") && text.contains("filters.rs"),
        "{text}"
    );
    assert!(
        text.contains("extra:") && text.contains("old_resource.rs"),
        "{text}"
    );
    assert!(!text.contains("hand_written.rs"), "{text}");
    assert!(
        text.contains("fix: run `cargo xtask codegen --spec"),
        "{text}"
    );
    assert!(text.contains("first difference at line"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs a generation that must fail; checks the message and that nothing was written.
fn assert_fails_cleanly(name: &str, spec_text: &str, extension: &str, expected: &[&str]) {
    let dir = scratch(name);
    let spec = dir.join(format!("spec.{extension}"));
    std::fs::write(&spec, spec_text).unwrap();
    // The fixtures have no error schemas; select customer_meters without them.
    let config = dir.join("codegen.yaml");
    std::fs::write(&config, "resources: [customer_meters]\nruntime_types: []\n").unwrap();
    let out = dir.join("out");
    let output = xtask(&[
        "codegen",
        "--config",
        config.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{name}: {text}");
    assert!(text.starts_with("error: "), "{name}: {text}");
    assert!(
        text.contains(spec.to_str().unwrap()),
        "{name} does not name the file: {text}"
    );
    for needle in expected {
        assert!(
            text.contains(needle),
            "{name}: expected `{needle}` in: {text}"
        );
    }
    assert!(!text.contains("panicked"), "{name}: {text}");
    assert!(
        !out.exists(),
        "{name}: output was written despite the error"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

const VALID_HEAD: &str = r#"openapi: 3.1.0
info: {title: T, version: "1"}
"#;

#[test]
fn malformed_json() {
    assert_fails_cleanly(
        "json",
        "{\"openapi\": \"3.1.0\",\n  \"paths\": {,}}",
        "json",
        &[":2:13: not valid JSON"],
    );
}

#[test]
fn malformed_yaml() {
    assert_fails_cleanly(
        "yaml",
        "openapi: 3.1.0\npaths: [unclosed\n",
        "yaml",
        &["not valid YAML"],
    );
}

#[test]
fn dangling_ref() {
    let spec = format!(
        "{VALID_HEAD}paths:\n  /a:\n    get:\n      operationId: a:get\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Missing'}}\n"
    );
    assert_fails_cleanly(
        "dangling",
        &spec,
        "yaml",
        &[
            "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
            "dangling $ref `#/components/schemas/Missing`",
        ],
    );
}

#[test]
fn missing_operation_id() {
    let spec = format!("{VALID_HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200': {{description: ok}}\n");
    assert_fails_cleanly(
        "no-id",
        &spec,
        "yaml",
        &["#/paths/~1a/get", "no operationId"],
    );
}

#[test]
fn unsupported_construct_in_a_selected_resource() {
    let spec = format!(
        "{VALID_HEAD}paths:\n  /a:\n    get:\n      operationId: customer_meters:list\n      parameters:\n        - {{name: session, in: cookie, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: string}}\n"
    );
    assert_fails_cleanly(
        "unsupported",
        &spec,
        "yaml",
        &[
            "unsupported construct",
            "#/paths/~1a/get",
            "parameter `session`",
            "Cookie",
        ],
    );
}

#[test]
fn invalid_openapi_shape() {
    let spec = format!("{VALID_HEAD}paths:\n  /a:\n    get:\n      operationId: a:get\n      responses:\n        '200': {{description: 5}}\n");
    assert_fails_cleanly(
        "shape",
        &spec,
        "yaml",
        &["#/paths/~1a/get/responses", "not a valid OpenAPI document"],
    );
}

#[test]
fn unknown_resource_in_config() {
    let dir = scratch("config");
    let config = dir.join("codegen.yaml");
    std::fs::write(&config, "resources: [no_such_thing]\n").unwrap();
    let out = dir.join("out");
    let output = xtask(&[
        "codegen",
        "--config",
        config.to_str().unwrap(),
        "--spec",
        root().join(xtask::SPEC).to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("resource `no_such_thing` has no operations"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

const COMMANDS: &[&str] = &["codegen", "bench-codegen", "compile-check", "conformance"];

#[test]
fn usage_errors_exit_2_with_usage() {
    assert_eq!(xtask(&[]).status.code(), Some(2));
    let unknown = xtask(&["no-such-command"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("usage: cargo xtask"));
    for command in COMMANDS {
        let output = xtask(&[command, "--bogus"]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{command}: {}",
            stderr(&output)
        );
        let text = stderr(&output);
        assert!(
            text.contains("unknown argument `--bogus`"),
            "{command}: {text}"
        );
        assert!(
            text.contains(&format!("usage: cargo xtask {command}")),
            "{command}: {text}"
        );
    }
    let lone_spec = xtask(&["codegen", "--spec", "x.json"]);
    assert_eq!(lone_spec.status.code(), Some(2), "{}", stderr(&lone_spec));
    assert!(stderr(&lone_spec).contains("--spec and --out go together"));
    assert_eq!(xtask(&["codegen", "--spec"]).status.code(), Some(2));
}

#[test]
fn help_describes_every_command_and_flag() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let output = xtask(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let text = stdout(&output);
        for command in COMMANDS {
            assert!(text.contains(&format!("  {command} ")), "{command}: {text}");
        }
    }
    for command in COMMANDS {
        let output = xtask(&[command, "--help"]);
        assert_eq!(output.status.code(), Some(0), "{command}");
        let text = stdout(&output);
        assert!(
            text.starts_with(&format!("usage: cargo xtask {command}")),
            "{text}"
        );
        assert!(text.contains("-h, --help"), "{text}");
    }
    let codegen = stdout(&xtask(&["codegen", "-h"]));
    for flag in [
        "--check",
        "--spec FILE",
        "--out DIR",
        "--config FILE",
        "-v, --diagnostics",
    ] {
        assert!(codegen.contains(flag), "{flag}: {codegen}");
    }
    // Every flag that takes a value says what it defaults to.
    for default in [
        "(default: openapi/polar-api.json",
        "(default: polar-sdk)",
        "(default: openapi/codegen.yaml)",
        "(default: write)",
    ] {
        assert!(codegen.contains(default), "{default}: {codegen}");
    }
    let bench = stdout(&xtask(&["bench-codegen", "--help"]));
    assert!(
        bench.contains("--runs N") && bench.contains("(default: 5)"),
        "{bench}"
    );
}

#[test]
fn diagnostics_are_listed_with_their_pointers() {
    let dir = scratch("diagnostics");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        format!(
            "{VALID_HEAD}paths:\n  /a:\n    get:\n      operationId: customer_meters:list\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: string}}\ncomponents:\n  schemas:\n    Odd: {{not: {{type: string}}}}\n"
        ),
    )
    .unwrap();
    let config = dir.join("codegen.yaml");
    std::fs::write(&config, "resources: [customer_meters]\nruntime_types: []\n").unwrap();
    let out = dir.join("out");
    let run = |extra: &str| {
        let mut args = vec![
            "codegen",
            "--config",
            config.to_str().unwrap(),
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra.split_whitespace());
        xtask(&args)
    };
    let quiet = run("");
    assert!(quiet.status.success(), "{}", stderr(&quiet));
    assert!(stdout(&quiet).contains("1 diagnostics (list them with --diagnostics)"));
    for flag in ["--diagnostics", "-v", "-v --check"] {
        let listed = run(flag);
        assert!(listed.status.success(), "{}", stderr(&listed));
        assert!(
            stdout(&listed).contains("  #/components/schemas/Odd: `not` is not supported"),
            "{flag}: {}",
            stdout(&listed)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Copies a folder with its subfolders (`generated/models/`, `openapi/overlay/`).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A copy of the generator's inputs and outputs, as another checkout would have them.
fn other_checkout(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    for sub in ["openapi", "polar-sdk/src/generated", "polar-sdk/docs"] {
        copy_tree(&root().join(sub), &dir.join(sub));
    }
    std::fs::copy(
        root().join("polar-sdk/Cargo.toml"),
        dir.join("polar-sdk/Cargo.toml"),
    )
    .unwrap();
    dir
}

#[test]
fn acts_on_the_checkout_it_runs_in() {
    let checkout = other_checkout("checkout");
    let models = checkout.join("polar-sdk/src/generated/models/customer_meters.rs");
    let text = std::fs::read_to_string(&models).unwrap();
    std::fs::write(
        &models,
        text.replace("pub struct CustomerMeter ", "pub struct Renamed "),
    )
    .unwrap();
    // From a folder inside the other checkout, without cargo's variables.
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .current_dir(checkout.join("polar-sdk/src"))
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(models.to_str().unwrap()),
        "{}",
        stderr(&output)
    );
    // As `cargo run` starts it there: CARGO_MANIFEST_DIR names the other checkout's xtask.
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .current_dir(std::env::temp_dir())
        .env("CARGO_MANIFEST_DIR", checkout.join("xtask"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(models.to_str().unwrap()),
        "{}",
        stderr(&output)
    );
    std::fs::remove_dir_all(&checkout).unwrap();
}

#[test]
fn drift_names_the_likely_cause_and_the_first_differing_lines() {
    let checkout = other_checkout("drift");
    let models = checkout.join("polar-sdk/src/generated/models/customer_meters.rs");
    let text = std::fs::read_to_string(&models).unwrap();
    std::fs::write(
        &models,
        text.replace("pub struct CustomerMeter ", "pub struct Renamed "),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .current_dir(&checkout)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("edited by hand"), "{text}");
    assert!(text.contains("first difference at line"), "{text}");
    assert!(text.contains("- pub struct Renamed {"), "{text}");
    assert!(text.contains("+ pub struct CustomerMeter {"), "{text}");
    assert!(text.lines().count() < 20, "{text}");
    std::fs::remove_dir_all(&checkout).unwrap();
}

/// In a git checkout, a generated file changed since the last commit while the generator's
/// inputs did not is reported as edited by hand; once an input changed too, either may be why.
#[test]
fn drift_in_a_git_checkout_tells_a_hand_edit_from_a_changed_input() {
    let checkout = other_checkout("git");
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.test"])
            .args(args)
            .current_dir(&checkout)
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}: {}", stderr(&status));
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "generated"]);
    let models = checkout.join("polar-sdk/src/generated/models/customer_meters.rs");
    let text = std::fs::read_to_string(&models).unwrap();
    std::fs::write(
        &models,
        text.replace("pub struct CustomerMeter ", "pub struct Renamed "),
    )
    .unwrap();
    let check = || {
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["codegen", "--check"])
            .current_dir(&checkout)
            .env_remove("CARGO_MANIFEST_DIR")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        stderr(&output)
    };
    let text = check();
    assert!(
        text.contains("edited by hand: it changed since the last commit"),
        "{text}"
    );
    let spec = checkout.join(xtask::SPEC);
    let document = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, format!("{document}\n")).unwrap();
    let text = check();
    assert!(
        text.contains("edited by hand, or the generator or the document changed"),
        "{text}"
    );
    std::fs::remove_dir_all(&checkout).unwrap();
}

#[test]
fn cargo_xtask_shows_build_progress() {
    let config = std::fs::read_to_string(root().join(".cargo/config.toml")).unwrap();
    let alias = config.lines().find(|l| l.starts_with("xtask")).unwrap();
    assert!(
        !alias.contains("--quiet") && !alias.contains(" -q"),
        "{alias}"
    );
}

/// The README, the xtask texts and the pinned Prism agree on the Node.js version.
#[test]
fn node_version_agrees_everywhere() {
    let mut mentions = Vec::new();
    for file in ["README.md", "xtask/src/conformance.rs", ".ci/run"] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        for (at, _) in text.match_indices("Node.js ") {
            let version: String = text[at + 8..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '{')
                .collect();
            if version.starts_with(|c: char| c.is_ascii_digit()) {
                mentions.push((file, version.trim_end_matches('.').to_owned()));
            }
        }
    }
    assert!(
        mentions.iter().any(|(file, _)| *file == "README.md"),
        "{mentions:?}"
    );
    for (file, version) in &mentions {
        assert_eq!(version, xtask::NODE_VERSION, "{file}");
    }
}

/// The hand-written runtime names models by path (`models::X`): a glob import would let a
/// generated type shadow a prelude or runtime name there.
#[test]
fn the_runtime_never_glob_imports_models() {
    fn visit(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("generated") {
                    visit(&path, found);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines() {
                    let line = line.trim();
                    if line.starts_with("use ") && line.contains("models::*") {
                        found.push(format!("{}: {line}", path.display()));
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    visit(&root().join("polar-sdk/src"), &mut found);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn import_spec_check_compares_the_committed_structure() {
    let upstream = root().join("../shared/openapi/polar-openapi.json");
    if !upstream.exists() {
        println!("SKIPPED: {} is absent", upstream.display());
        return;
    }
    let same = xtask(&["import-spec", "--check", upstream.to_str().unwrap()]);
    assert!(
        same.status.success(),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );

    // A new upstream version (one more enum value) no longer matches.
    let mut document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&upstream).unwrap()).unwrap();
    let values = document
        .pointer_mut("/components/schemas/CustomerMeterSortProperty/enum")
        .and_then(|v| v.as_array_mut())
        .expect("the sort enum");
    values.push(serde_json::json!("brand_new"));
    let dir = scratch("import-spec");
    let changed = dir.join("upstream.json");
    std::fs::write(&changed, serde_json::to_string(&document).unwrap()).unwrap();
    let before = std::fs::read(root().join("openapi/polar-api.json")).unwrap();
    let output = xtask(&["import-spec", "--check", changed.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("differs from the structure"), "{text}");
    assert_eq!(
        std::fs::read(root().join("openapi/polar-api.json")).unwrap(),
        before,
        "--check writes nothing"
    );
}
