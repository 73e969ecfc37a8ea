//! The `concord` binary itself: its commands, production bootstrap and shutdown.

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::process::{Server, run as concord};

#[test]
fn the_committed_schema_equals_export_schema() {
    let output = concord(&["export-schema"], &[]);
    assert!(output.status.success());
    let exported = String::from_utf8(output.stdout).expect("utf-8");
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql");
    assert!(
        exported == committed,
        "schema.graphql is stale: run `cargo run -- export-schema > schema.graphql`"
    );
    assert_eq!(exported, api::graphql::sdl());
}

#[test]
fn help_documents_every_setting_and_command() {
    let output = concord(&["--help"], &[]);
    let help = String::from_utf8(output.stdout).expect("utf-8");
    for name in [
        "CONCORD_DATABASE_URL",
        "CONCORD_LISTEN",
        "CONCORD_JWT_SECRET",
        "CONCORD_JWT_PUBLIC_KEY_FILE",
        "CONCORD_JWKS_FILE",
        "CONCORD_JWT_ISSUER",
        "CONCORD_JWT_AUDIENCE",
        "CONCORD_POLICY_FILE",
        "CONCORD_DESIGNATED_SOCIAL_CARE",
        "CONCORD_DESIGNATED_POLICE",
        "serve",
        "migrate",
        "agency",
        "token",
        "seed-demo",
        "export-schema",
    ] {
        assert!(help.contains(name), "--help does not mention {name}");
    }
}

#[test]
fn development_mode_refuses_a_non_loopback_address() {
    let dir = std::env::temp_dir().join(format!("concord-dev-{}", uuid::Uuid::new_v4().simple()));
    let data = dir.display().to_string();
    let output = concord(
        &["serve", "--listen", "0.0.0.0:0", "--data-dir", &data],
        &[],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("loopback"));
    let _ = std::fs::remove_dir_all(dir);
}

/// An operator bootstraps production: migrate, add the first agency, then tokens from
/// the identity provider work; nothing is seeded; SIGTERM stops it cleanly.
#[tokio::test]
async fn production_bootstrap_serves_only_what_the_operator_added_and_stops_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("concord-prod-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("prod.db").display());
    let secret = crate::helpers::SECRET;
    let env = [
        ("CONCORD_DATABASE_URL", url.as_str()),
        ("CONCORD_JWT_SECRET", secret),
        ("CONCORD_JWT_ISSUER", "https://idp.test.invalid"),
        ("CONCORD_JWT_AUDIENCE", "concord"),
        ("CONCORD_LISTEN", "127.0.0.1:0"),
    ];
    assert!(concord(&["migrate"], &env).status.success());
    let added = concord(
        &[
            "agency",
            "add",
            "--code",
            "ops-team",
            "--name",
            "Operations",
            "--kind",
            "other",
        ],
        &env,
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let token = concord(
        &[
            "token",
            "--sub",
            "operator",
            "--agency",
            "ops-team",
            "--role",
            "SYSTEM_ADMIN",
        ],
        &env,
    );
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let token = String::from_utf8(token.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();

    let mut server = Server::start(&env);
    let body: Value = reqwest::Client::new()
        .post(format!("http://{}/graphql", server.addr))
        .bearer_auth(&token)
        .json(&json!({ "query": "{ me { subject } agencies { code } }" }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(
        body["data"],
        json!({ "me": { "subject": "operator" }, "agencies": [{ "code": "ops-team" }] }),
        "{body}"
    );

    let term = Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    let status = server
        .exit_within(Duration::from_secs(30))
        .expect("concord did not stop after SIGTERM");
    assert!(status.success(), "exit status {status}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_malformed_policy_file_stops_start_up_naming_the_line_and_field() {
    let dir =
        std::env::temp_dir().join(format!("concord-policy-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let policy = dir.join("policy.toml");
    std::fs::write(&policy, "jurisdiction = \"england-and-wales\"\n\n[deadlines]\nreferral_decision_working_days = \"one\"\n")
        .expect("write");
    let url = format!("sqlite://{}?mode=rwc", dir.join("c.db").display());
    let output = concord(
        &["serve", "--policy-file", &policy.display().to_string()],
        &[
            ("CONCORD_DATABASE_URL", url.as_str()),
            ("CONCORD_JWT_SECRET", crate::helpers::SECRET),
            ("CONCORD_JWT_ISSUER", "i"),
            ("CONCORD_JWT_AUDIENCE", "a"),
            ("CONCORD_LISTEN", "127.0.0.1:0"),
        ],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 4"), "{stderr}");
    assert!(
        stderr.contains("referral_decision_working_days"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
