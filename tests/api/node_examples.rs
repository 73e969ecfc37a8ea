//! The Node.js tools over the examples run in the suite, so they cannot rot: GraphQL
//! Code Generator, the Relay compiler and the schema-change check (`examples/`).
//!
//! Each runs `npm ci` in its folder when its pinned packages are missing, one install at
//! a time (`crate::node`), and fails, never skips, when Node.js or npm is missing.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn run(dir: &Path, program: &str, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap_or_else(|e| {
        panic!("{program} could not be started ({e}): install Node.js 20 or later with npm")
    })
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The folder of one tool, its locked dependencies installed.
fn installed(name: &str) -> PathBuf {
    crate::node::ensure_packages_in(examples().join(name))
}

/// The example operations' names, from examples/operations.
fn operation_names() -> Vec<String> {
    let dir = examples().join("operations");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).expect("operations") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("graphql") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("read");
        let name = source
            .lines()
            .find_map(|line| {
                ["query ", "mutation ", "subscription "]
                    .iter()
                    .find_map(|kw| line.strip_prefix(kw))
                    .and_then(|rest| rest.split(['(', ' ', '{']).next())
            })
            .unwrap_or_else(|| panic!("{}: no named operation", path.display()));
        names.push(name.to_owned());
    }
    assert!(names.len() >= 30, "the examples are there");
    names
}

#[test]
fn graphql_code_generator_types_every_example_operation() {
    let dir = installed("codegen");
    let generated = dir.join("src/generated");
    let _ = std::fs::remove_dir_all(&generated);
    let check = run(&dir, "npm", &["run", "--silent", "check"], &[]);
    assert!(check.status.success(), "codegen and tsc: {}", text(&check));
    let operations =
        std::fs::read_to_string(generated.join("operations.ts")).expect("operations.ts");
    for name in operation_names() {
        assert!(
            operations.contains(&format!("export type {name} = "))
                && operations.contains(&format!("export type {name}Variables = ")),
            "no types for {name}"
        );
    }
    let schema = std::fs::read_to_string(generated.join("schema.ts")).expect("schema.ts");
    assert!(schema.contains("export type Child = "));
}

#[test]
fn the_relay_compiler_compiles_every_example_operation() {
    let dir = installed("relay");
    let artifacts = dir.join("src/__generated__");
    let _ = std::fs::remove_dir_all(&artifacts);
    let compile = run(&dir, "npm", &["run", "--silent", "relay"], &[]);
    assert!(
        compile.status.success(),
        "relay-compiler: {}",
        text(&compile)
    );
    for name in operation_names() {
        assert!(
            artifacts.join(format!("{name}.graphql.ts")).exists(),
            "no Relay artifact for {name}: {}",
            text(&compile)
        );
    }
}

#[test]
fn the_committed_schema_has_no_unrecorded_breaking_change() {
    let dir = installed("schema-check");
    let check = run(&dir, "node", &["check.mjs"], &[]);
    assert!(check.status.success(), "schema check: {}", text(&check));
}

#[test]
fn the_schema_check_fails_on_a_breaking_change_until_the_changelog_names_it() {
    let dir = installed("schema-check");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let scratch = std::env::temp_dir().join(format!("concord-schema-check-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch");
    let previous = root.join("docs/schema/releases/0.3.0.graphql");
    let schema = std::fs::read_to_string(&previous).expect("previous release");
    assert!(
        schema.contains("\tsend: Boolean!\n"),
        "Child.send is in the release"
    );
    let broken = scratch.join("schema.graphql");
    std::fs::write(
        &broken,
        schema.replacen("\tsend: Boolean!\n", "\tspecialNeeds: Boolean!\n", 1),
    )
    .expect("write");
    let silent = scratch.join("silent.md");
    std::fs::write(
        &silent,
        "# Changelog\n\n## Unreleased\n\n- Nothing.\n\n## 0.3.0\n\n- `Child.send`\n",
    )
    .expect("write");
    let refused = run(
        &dir,
        "node",
        &["check.mjs"],
        &[
            ("SCHEMA", &broken),
            ("PREVIOUS", &previous),
            ("CHANGELOG", &silent),
        ],
    );
    assert!(
        !refused.status.success(),
        "an unrecorded removal passed: {}",
        text(&refused)
    );
    assert!(text(&refused).contains("Child.send"), "{}", text(&refused));
    let noted = scratch.join("noted.md");
    std::fs::write(
        &noted,
        "# Changelog\n\n## Unreleased\n\n- `Child.send` is now `Child.specialNeeds`.\n",
    )
    .expect("write");
    let accepted = run(
        &dir,
        "node",
        &["check.mjs"],
        &[
            ("SCHEMA", &broken),
            ("PREVIOUS", &previous),
            ("CHANGELOG", &noted),
        ],
    );
    assert!(
        accepted.status.success(),
        "a recorded change failed: {}",
        text(&accepted)
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
