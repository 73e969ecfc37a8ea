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
        "retention",
        "audit",
        "CONCORD_RETENTION_INTERVAL_HOURS",
        "CONCORD_AUDIT_SEAL_SECONDS",
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

fn temp_dir(label: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("concord-{label}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn a_port_in_use_is_named_before_any_token_is_printed() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let dir = temp_dir("port");
    let data = dir.display().to_string();
    let output = concord(&["serve", "--listen", &addr, "--data-dir", &data], &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on {addr}")),
        "{stderr}"
    );
    assert!(stderr.contains("--listen"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains("eyJ"),
        "tokens printed before the bind failed: {stdout}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_database_server_that_does_not_answer_is_named_within_five_seconds() {
    // Accepts connections and never says a word, as a firewalled or hung server would.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in silent.incoming().map_while(Result::ok) {
            held.push(stream);
        }
    });
    let url = format!("postgres://concord:s3cret-pw@127.0.0.1:{port}/concord");
    let started = std::time::Instant::now();
    let output = concord(&["migrate"], &[("CONCORD_DATABASE_URL", url.as_str())]);
    let took = started.elapsed();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(took < Duration::from_secs(8), "took {took:?}: {stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("did not answer within 5 s"), "{stderr}");
    assert!(!stderr.contains("s3cret-pw"), "{stderr}");
}

#[test]
fn a_missing_sqlite_file_is_named_with_the_hint_to_create_it() {
    let dir = temp_dir("nofile");
    let file = dir.join("newfile.db");
    let url = format!("sqlite://{}", file.display());
    let output = concord(&["migrate"], &[("CONCORD_DATABASE_URL", url.as_str())]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(stderr.contains("?mode=rwc"), "{stderr}");
    assert!(!file.exists());
    // With the hint followed, it is created.
    let url = format!("{url}?mode=rwc");
    let output = concord(&["migrate"], &[("CONCORD_DATABASE_URL", url.as_str())]);
    assert!(output.status.success(), "{output:?}");
    assert!(file.exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn token_refuses_an_unknown_agency_and_names_the_secret_it_signed_with() {
    let dir = temp_dir("token");
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
    let secret = crate::helpers::SECRET;
    let env = [
        ("CONCORD_DATABASE_URL", url.as_str()),
        ("CONCORD_JWT_SECRET", secret),
        ("CONCORD_JWT_ISSUER", "https://idp.test.invalid"),
        ("CONCORD_JWT_AUDIENCE", "concord"),
    ];
    assert!(concord(&["migrate"], &env).status.success());
    let added = concord(
        &[
            "agency", "add", "--code", "ops", "--name", "Ops", "--kind", "other",
        ],
        &env,
    );
    assert!(added.status.success(), "{added:?}");
    let token = |agency: &str| {
        concord(
            &[
                "token", "--sub", "s", "--agency", agency, "--role", "AUDITOR",
            ],
            &env,
        )
    };
    let unknown = token("no-such-agency");
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no agency with code no-such-agency"),
        "{stderr}"
    );
    assert!(stderr.contains("concord agency add"), "{stderr}");
    assert!(unknown.stdout.is_empty());
    let known = token("ops");
    assert!(known.status.success(), "{known:?}");
    let stderr = String::from_utf8_lossy(&known.stderr);
    assert!(
        stderr.contains("signed with CONCORD_JWT_SECRET"),
        "{stderr}"
    );
    assert!(!stderr.contains(secret), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn token_outside_a_development_folder_refuses_rather_than_make_a_new_secret() {
    let dir = temp_dir("nosecret");
    let data = dir.join("data");
    let output = concord(
        &[
            "token",
            "--sub",
            "s",
            "--agency",
            "sefton-csc",
            "--role",
            "PRACTITIONER",
            "--data-dir",
            &data.display().to_string(),
        ],
        &[],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no development signing secret at"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&data.join("dev-signing-secret").display().to_string()),
        "{stderr}"
    );
    assert!(!data.join("dev-signing-secret").exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn each_command_help_shows_only_its_own_settings() {
    let help = |args: &[&str]| {
        let output = concord(args, &[]);
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    let token = help(&["token", "--help"]);
    for shown in [
        "--sub",
        "--agency",
        "--role",
        "--jwt-secret",
        "--database-url",
        "--data-dir",
    ] {
        assert!(token.contains(shown), "token --help lacks {shown}: {token}");
    }
    for hidden in [
        "--listen",
        "--max-query-cost",
        "--metrics-token",
        "--jwks-file",
        "--workers",
    ] {
        assert!(
            !token.contains(hidden),
            "token --help shows {hidden}: {token}"
        );
    }
    let migrate = help(&["migrate", "--help"]);
    assert!(migrate.contains("--database-url"), "{migrate}");
    assert!(
        !migrate.contains("--jwt-secret") && !migrate.contains("--listen"),
        "{migrate}"
    );
    let add = help(&["agency", "add", "--help"]);
    assert!(
        add.contains("--code") && add.contains("--database-url"),
        "{add}"
    );
    assert!(!add.contains("--rate-limit-per-subject"), "{add}");
    let export = help(&["export-schema", "--help"]);
    assert!(!export.contains("--database-url"), "{export}");
    let serve = help(&["serve", "--help"]);
    for shown in [
        "--listen",
        "--database-url",
        "--jwt-secret",
        "--metrics-token",
        "--max-query-cost",
    ] {
        assert!(serve.contains(shown), "serve --help lacks {shown}");
    }
    // A hidden setting is still accepted after the command.
    let exported = concord(&["export-schema", "--listen", "127.0.0.1:1"], &[]);
    assert!(exported.status.success(), "{exported:?}");
}
