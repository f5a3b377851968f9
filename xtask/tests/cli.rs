//! `cargo xtask codegen` as users run it: drift check, `--spec/--out`, and bad input
//! (clear error naming file and JSON pointer, non-zero exit, nothing written).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("xtask runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

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

    let models = dir.join("src/generated/models.rs");
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
        text.contains("stale:") && text.contains("models.rs"),
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
        "{VALID_HEAD}paths:\n  /a:\n    get:\n      operationId: customer_meters:list\n      parameters:\n        - {{name: metadata, in: query, style: deepObject, schema: {{type: object}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: string}}\n"
    );
    assert_fails_cleanly(
        "unsupported",
        &spec,
        "yaml",
        &[
            "unsupported construct",
            "#/paths/~1a/get",
            "parameter `metadata`",
            "DeepObject",
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

#[test]
fn usage_errors_exit_non_zero() {
    assert_eq!(xtask(&[]).status.code(), Some(2));
    assert_eq!(xtask(&["codegen", "--bogus"]).status.code(), Some(1));
    assert_eq!(
        xtask(&["codegen", "--spec", "x.json"]).status.code(),
        Some(1)
    );
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
