//! The benchmark, once, at `tiny` size, so that it cannot rot: generate a partnership,
//! start a real Concord server on it, run every operation for a few requests, and check
//! that nothing failed and every event arrived once. No timing is asserted. The server
//! seals the audit log every second, so that the runner's wait for the sealer before each
//! phase (`bench::settle`) is short, and the test checks that the wait ends with every
//! audit row chained.

use std::net::TcpListener;
use std::time::Duration;

use api::app::connect;
use bench::generate::{Size, generate};
use bench::ops::Op;
use bench::partnership::{DESIGNATED_POLICE, DESIGNATED_SOCIAL_CARE};
use bench::run::{RunOptions, run};
use bench::tokens::{DEFAULT_AUDIENCE, DEFAULT_ISSUER, DEFAULT_SECRET};
use clap::Parser as _;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

/// A free port on the loopback interface.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts `concord serve` in this process, through the same command line as the binary,
/// with the caps raised as BENCHMARKS.md documents; returns its base URL once it answers.
async fn start_server(database_url: &str) -> String {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let args = [
        "concord",
        "serve",
        "--database-url",
        database_url,
        "--listen",
        &listen,
        "--jwt-secret",
        DEFAULT_SECRET,
        "--jwt-issuer",
        DEFAULT_ISSUER,
        "--jwt-audience",
        DEFAULT_AUDIENCE,
        "--designated-social-care",
        DESIGNATED_SOCIAL_CARE,
        "--designated-police",
        DESIGNATED_POLICE,
        "--workers",
        "2",
        "--rate-limit-per-subject",
        "0",
        "--rate-limit-per-address",
        "0",
        "--max-connections-per-address",
        "0",
        "--log-format",
        "json",
        "--audit-seal-seconds",
        "1",
    ];
    let cli = api::cli::Cli::try_parse_from(args).expect("server arguments parse");
    tokio::spawn(async move {
        if let Err(error) = api::cli::run(cli).await {
            eprintln!("server stopped: {error:#}");
        }
    });
    let base = format!("http://{listen}");
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            return base;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start on {base}");
}

async fn benchmark_once(database_url: &str) {
    let db = connect(database_url).await.expect("connect");
    let summary = generate(&db, Size::Tiny, 7).await.expect("generate tiny");
    for table in [
        "agencies",
        "children",
        "involvements",
        "behaviours",
        "chronology_entries",
        "joint_plans",
        "plan_members",
        "plan_actions",
        "consultations",
        "plan_reviews",
        "audit_events",
    ] {
        assert!(
            summary
                .counts
                .iter()
                .any(|(t, rows)| *t == table && *rows > 0),
            "no {table}:\n{summary}"
        );
    }
    let base = start_server(database_url).await;
    let report = run(&RunOptions::short(&base, database_url))
        .await
        .expect("the benchmark runs");
    let table = report.render();
    println!("{table}");
    for op in Op::ALL {
        assert!(
            table.contains(&format!("| {}", op.name())),
            "{} missing from the table:\n{table}",
            op.name()
        );
    }
    assert_eq!(report.errors(), 0, "errors:\n{table}");
    assert_eq!(report.missing, 0, "missing events:\n{table}");
    assert_eq!(report.duplicated, 0, "duplicated events:\n{table}");
    let settled = bench::settle::settle(&db, Duration::from_secs(60)).await;
    assert!(
        settled.quiet,
        "the audit sealer did not catch up: {settled:?}"
    );
    let unsealed = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM audit_events e \
             WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = e.id)",
        ))
        .await
        .expect("count unsealed rows")
        .and_then(|row| row.try_get::<i64>("", "n").ok());
    assert_eq!(unsealed, Some(0), "audit rows left unsealed after the wait");
    for op in Op::ALL {
        assert!(
            report
                .rows
                .iter()
                .filter(|r| r.op.starts_with(op.name()))
                .any(|r| r.ok > 0),
            "{} made no successful request:\n{table}",
            op.name()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_benchmark_runs_every_operation_at_tiny_size_without_errors() {
    let path = std::env::temp_dir().join(format!("concord-bench-{}.db", Uuid::new_v4().simple()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    benchmark_once(&url).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    if let Ok(admin_url) = std::env::var("CONCORD_TEST_DATABASE_URL")
        && !admin_url.trim().is_empty()
    {
        let name = format!("concord_bench_{}", Uuid::new_v4().simple());
        let admin = connect(&admin_url).await.expect("connect to PostgreSQL");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the database");
        let url = replace_database(&admin_url, &name);
        let outcome = tokio::spawn(async move { benchmark_once(&url).await }).await;
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic.into_panic());
        }
    }
}

/// The wait before a phase reports a log with unsealed rows as busy until its bound, and
/// as quiet once the rows are sealed.
#[tokio::test]
async fn the_wait_for_the_sealer_ends_only_when_the_log_is_sealed() {
    let path = std::env::temp_dir().join(format!("concord-settle-{}.db", Uuid::new_v4().simple()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = connect(&url).await.expect("connect");
    // The generated partnership's audit rows are not sealed: no server has run on it.
    generate(&db, Size::Tiny, 7).await.expect("generate tiny");
    let bound = Duration::from_secs(1);
    let busy = bench::settle::settle(&db, bound).await;
    assert!(!busy.quiet, "an unsealed log was reported quiet: {busy:?}");
    assert!(
        busy.waited >= bound,
        "the wait ended before its bound: {busy:?}"
    );
    assert!(
        busy.note("caseload")
            .is_some_and(|note| note.contains("still busy"))
    );
    let sealed = api::domain::audit_chain::seal(&db).await.expect("seal");
    assert!(sealed > 0, "nothing to seal");
    let quiet = bench::settle::settle(&db, Duration::from_secs(10)).await;
    assert!(quiet.quiet, "a sealed log was reported busy: {quiet:?}");
    drop(db);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// `url` with its database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let base = match base.rsplit_once('/') {
        Some((prefix, _)) if prefix.contains("//") && prefix != "postgres:/" => prefix,
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}
