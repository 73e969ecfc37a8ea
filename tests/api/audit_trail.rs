//! An audit trail that proves it (`docs/access.md`): what each change altered, the audit
//! log append-only in the database, and the hash chain `concord audit verify` checks.

use api::domain::audit_chain;
use chrono::{Duration, Utc};
use entity::audit_events;
use sea_orm::{
    ConnectionTrait as _, DatabaseConnection, EntityTrait as _, QueryOrder as _, Statement,
    TransactionTrait as _,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::db::audited;
use crate::helpers::plans::{CLOSE, SharedPlan, activate, plan_row, shared_plan};
use crate::helpers::process::run as concord;
use crate::helpers::{Backend, TestActor, TestApp, spawn_apps, uuid_of};

/// The changes of the one allowed audit row of `action` on `entity`.
async fn changes_of(app: &TestApp, action: &str, entity: Uuid) -> Value {
    let rows = audited(&app.db, action, entity).await;
    assert_eq!(rows.len(), 1, "{action}");
    rows[0].changes.clone().unwrap_or(Value::Null)
}

fn change<'a>(changes: &'a Value, field: &str) -> &'a Value {
    changes
        .as_array()
        .and_then(|list| list.iter().find(|c| c["field"] == field))
        .unwrap_or_else(|| panic!("no change of {field} in {changes}"))
}

#[tokio::test]
async fn an_update_records_old_and_new_values_and_restricted_content_only_that_it_changed() {
    for app in spawn_apps().await {
        let SharedPlan { fixture: _, plan } = shared_plan(&app).await;
        let plan_id = uuid_of(&plan);
        activate(&app, &plan).await;
        let version = plan_row(&app, &plan).await.version;
        app.ok_as(
            &TestActor::coordinator("csc"),
            CLOSE,
            json!({ "input": { "planId": plan, "expectedVersion": version } }),
        )
        .await;

        let closed = changes_of(&app, "CLOSE_JOINT_PLAN", plan_id).await;
        assert_eq!(
            change(&closed, "status"),
            &json!({ "field": "status", "old": "ACTIVE", "new": "CLOSED" })
        );
        assert_eq!(change(&closed, "closedAt")["old"], Value::Null);
        assert!(change(&closed, "closedAt")["new"].is_string());
        assert!(change(&closed, "nextReviewDue")["old"].is_string());
        assert_eq!(change(&closed, "nextReviewDue")["new"], Value::Null);
        // Bookkeeping is not a change of content.
        let fields: Vec<&str> = closed
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|c| c["field"].as_str())
            .collect();
        assert!(!fields.contains(&"version") && !fields.contains(&"updatedAt"));

        // A new plan: its values, but the risk summary only as set.
        let created = changes_of(&app, "CREATE_JOINT_PLAN", plan_id).await;
        assert_eq!(change(&created, "title")["new"], "Joint plan");
        assert_eq!(change(&created, "title")["old"], Value::Null);
        assert_eq!(
            change(&created, "riskSummary"),
            &json!({ "field": "riskSummary", "restricted": true })
        );
        assert!(!created.to_string().contains("Sexualised"), "{created}");

        // A child's identity never reaches the audit log: only that it was set.
        let child = crate::fixture::register(&app, "Quentin").await;
        let registered = changes_of(&app, "REGISTER_CHILD", uuid_of(&child)).await;
        assert_eq!(
            change(&registered, "givenName"),
            &json!({ "field": "givenName", "restricted": true })
        );
        assert!(change(&registered, "dateOfBirth")["restricted"] == true);
        assert!(!registered.to_string().contains("Quentin"), "{registered}");

        // The auditor reads them on the audit log.
        let log = app
            .ok_as(
                &TestActor::auditor("partnership"),
                "{ auditEvents(filter: { action: \"CREATE_JOINT_PLAN\" }, first: 5) {
                    nodes { changes { field old new restricted } } } }",
                json!({}),
            )
            .await;
        let listed = &log["auditEvents"]["nodes"][0]["changes"];
        let risk = listed
            .as_array()
            .and_then(|l| l.iter().find(|c| c["field"] == "riskSummary"))
            .expect("riskSummary listed");
        assert_eq!(
            risk,
            &json!({ "field": "riskSummary", "old": null, "new": null, "restricted": true })
        );
        let title = listed
            .as_array()
            .and_then(|l| l.iter().find(|c| c["field"] == "title"))
            .expect("title listed");
        assert_eq!(
            title,
            &json!({ "field": "title", "old": null, "new": "Joint plan", "restricted": false })
        );
        // A read records no changes.
        let reads = app
            .ok_as(
                &TestActor::auditor("partnership"),
                "{ auditEvents(filter: { action: \"READ_CHILD\" }, first: 1) { nodes { changes { field } } } }",
                json!({}),
            )
            .await;
        assert_eq!(reads["auditEvents"]["nodes"][0]["changes"], Value::Null);
    }
}

async fn expect_refused(db: &DatabaseConnection, sql: &str) {
    let result = db.execute_unprepared(sql).await;
    let error = result.expect_err(sql).to_string();
    assert!(error.contains("append-only"), "{sql}: {error}");
}

#[tokio::test]
async fn the_service_cannot_update_or_delete_audit_rows() {
    for app in spawn_apps().await {
        crate::fixture::build(&app).await;
        let before = audit_events::Entity::find()
            .all(&app.db)
            .await
            .expect("rows");
        assert!(!before.is_empty());
        expect_refused(&app.db, "UPDATE audit_events SET reason = 'edited'").await;
        expect_refused(&app.db, "DELETE FROM audit_events").await;
        audit_chain::seal(&app.db).await.expect("seal");
        expect_refused(&app.db, "UPDATE audit_chain SET hash = 'x'").await;
        expect_refused(&app.db, "DELETE FROM audit_chain").await;
        if app.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            expect_refused(&app.db, "TRUNCATE audit_events").await;
            expect_refused(&app.db, "TRUNCATE audit_chain, audit_chain_anchor").await;
            // A temporary table named like the retention window cannot open it (one batch,
            // so one connection).
            expect_refused(
                &app.db,
                "CREATE TEMP TABLE audit_retention (cutoff timestamptz, chain_seq bigint); \
                 INSERT INTO audit_retention VALUES ('infinity', 9000000000000000000); \
                 DELETE FROM audit_events",
            )
            .await;
        }
        let after = audit_events::Entity::find()
            .all(&app.db)
            .await
            .expect("rows");
        assert_eq!(before, after);
        // A zero-row delete (how a test takes SQLite's write lock) still runs.
        app.db
            .execute_unprepared("DELETE FROM audit_events WHERE 1 = 0")
            .await
            .expect("no rows, no refusal");
    }
}

/// `concord audit verify` on the app's database: (succeeded, stdout).
fn verify(app: &TestApp) -> (bool, String) {
    verify_with(app, &[])
}

/// `concord audit verify` with `args` on the app's database: (succeeded, stdout).
fn verify_with(app: &TestApp, args: &[&str]) -> (bool, String) {
    let mut all = vec!["audit", "verify"];
    all.extend_from_slice(args);
    let output = concord(&all, &[("CONCORD_DATABASE_URL", app.database_url.as_str())]);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success() || output.status.code() == Some(1),
        "{stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), stdout)
}

/// Runs `sql` on `audit_events` as a DBA would, with the append-only triggers out of
/// the way.
async fn as_dba(app: &TestApp, sql: &str, id: Uuid) {
    as_dba_on(app, "audit_events", sql, id.into()).await;
}

/// Runs `sql` (one `?` parameter, `value`) as a DBA would, with the append-only triggers
/// of `table` out of the way.
async fn as_dba_on(app: &TestApp, table: &str, sql: &str, value: sea_orm::Value) {
    let backend = app.db.get_database_backend();
    let tamper = match app.backend {
        Backend::Postgres(_) => {
            Statement::from_sql_and_values(backend, sql.replace('?', "$1"), [value])
        }
        Backend::Sqlite => Statement::from_sql_and_values(backend, sql, [value]),
    };
    match app.backend {
        Backend::Postgres(_) => {
            let txn = app.db.begin().await.expect("begin");
            txn.execute_unprepared(&format!(
                "ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"
            ))
            .await
            .expect("disable");
            assert_eq!(
                txn.execute_raw(tamper)
                    .await
                    .expect("tamper")
                    .rows_affected(),
                1
            );
            txn.execute_unprepared(&format!(
                "ALTER TABLE {table} ENABLE TRIGGER {table}_append_only"
            ))
            .await
            .expect("enable");
            txn.commit().await.expect("commit");
        }
        Backend::Sqlite => {
            let mut triggers = Vec::new();
            for name in [format!("{table}_no_update"), format!("{table}_no_delete")] {
                let row = app
                    .db
                    .query_one_raw(Statement::from_string(
                        backend,
                        format!("SELECT sql FROM sqlite_master WHERE name = '{name}'"),
                    ))
                    .await
                    .expect("query")
                    .expect("trigger");
                triggers.push((name, row.try_get::<String>("", "sql").expect("sql")));
            }
            let txn = app.db.begin().await.expect("begin");
            for (name, _) in &triggers {
                txn.execute_unprepared(&format!("DROP TRIGGER {name}"))
                    .await
                    .expect("drop");
            }
            assert_eq!(
                txn.execute_raw(tamper)
                    .await
                    .expect("tamper")
                    .rows_affected(),
                1
            );
            for (_, create) in &triggers {
                txn.execute_unprepared(create).await.expect("restore");
            }
            txn.commit().await.expect("commit");
        }
    }
}

/// The audit id chained at `seq`.
async fn chained(app: &TestApp, seq: i64) -> Uuid {
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => "SELECT audit_id FROM audit_chain WHERE seq = $1",
        _ => "SELECT audit_id FROM audit_chain WHERE seq = ?",
    };
    app.db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [seq.into()]))
        .await
        .expect("query")
        .expect("entry")
        .try_get::<Uuid>("", "audit_id")
        .expect("audit_id")
}

#[tokio::test]
async fn sealing_then_verifying_passes_and_a_changed_row_is_named() {
    for app in spawn_apps().await {
        crate::fixture::build(&app).await;
        let total = audit_events::Entity::find()
            .all(&app.db)
            .await
            .expect("rows")
            .len() as u64;
        let (ok, out) = verify(&app);
        assert!(ok, "{out}");
        assert!(
            out.contains(&format!("0 rows verified; {total} rows not yet sealed")),
            "{out}"
        );

        assert_eq!(audit_chain::seal(&app.db).await.expect("seal"), total);
        assert_eq!(audit_chain::seal(&app.db).await.expect("seal"), 0);
        let (ok, out) = verify(&app);
        assert!(ok, "{out}");
        assert!(
            out.contains(&format!("{total} rows verified; 0 rows not yet sealed")),
            "{out}"
        );

        // A DBA edits the third sealed row.
        let third = chained(&app, 3).await;
        as_dba(
            &app,
            "UPDATE audit_events SET reason = 'rewritten' WHERE id = ?",
            third,
        )
        .await;
        let (ok, out) = verify(&app);
        assert!(!ok, "{out}");
        assert!(
            out.contains(&format!("seq 3 (audit event {third}): row changed")),
            "{out}"
        );
    }
}

#[tokio::test]
async fn a_deleted_row_is_named() {
    for app in spawn_apps().await {
        crate::fixture::build(&app).await;
        audit_chain::seal(&app.db).await.expect("seal");
        let second = chained(&app, 2).await;
        as_dba(&app, "DELETE FROM audit_events WHERE id = ?", second).await;
        let (ok, out) = verify(&app);
        assert!(!ok, "{out}");
        assert!(
            out.contains(&format!("seq 2 (audit event {second}): row missing")),
            "{out}"
        );
    }
}

#[tokio::test]
async fn pruning_keeps_the_chain_verifiable() {
    for app in spawn_apps().await {
        crate::fixture::build(&app).await;
        audit_chain::seal(&app.db).await.expect("seal");
        let rows = audit_events::Entity::find()
            .order_by_asc(audit_events::Column::OccurredAt)
            .all(&app.db)
            .await
            .expect("rows");
        // A cutoff inside the log: the rows of the earlier half go.
        let cutoff = rows[rows.len() / 2].occurred_at;
        let older = rows.iter().filter(|r| r.occurred_at < cutoff).count() as u64;
        assert!(older > 0);
        let txn = app.db.begin().await.expect("begin");
        let pruned = audit_chain::prune_audit_log(&txn, cutoff)
            .await
            .expect("prune");
        txn.commit().await.expect("commit");
        assert_eq!(pruned, older);
        let anchor = audit_chain::anchor(&app.db).await.expect("anchor");
        assert!(anchor.seq > 0);
        let (ok, out) = verify(&app);
        assert!(ok, "{out}");

        // What comes after is sealed onto the same chain; still verifiable.
        crate::fixture::register(&app, "Pruned").await;
        assert!(audit_chain::seal(&app.db).await.expect("seal") > 0);
        let (ok, out) = verify(&app);
        assert!(ok, "{out}");
        assert!(out.contains("0 rows not yet sealed"), "{out}");

        // Nothing is deletable once pruning is over.
        expect_refused(&app.db, "DELETE FROM audit_events").await;
        expect_refused(&app.db, "DELETE FROM audit_chain").await;
        expect_refused(&app.db, "DELETE FROM audit_chain_anchor").await;

        // A prune with a cutoff before everything deletes nothing.
        let txn = app.db.begin().await.expect("begin");
        let none = audit_chain::prune_audit_log(&txn, Utc::now() - Duration::days(3650))
            .await
            .expect("prune");
        txn.commit().await.expect("commit");
        assert_eq!(none, 0);
        assert!(verify(&app).0);
    }
}

#[tokio::test]
async fn timestamps_read_back_hash_the_same() {
    for app in spawn_apps().await {
        crate::fixture::build(&app).await;
        let first = audit_events::Entity::find()
            .all(&app.db)
            .await
            .expect("rows");
        let again = audit_events::Entity::find()
            .all(&app.db)
            .await
            .expect("rows");
        for (a, b) in first.iter().zip(&again) {
            assert_eq!(
                audit_chain::canonical_bytes(a),
                audit_chain::canonical_bytes(b)
            );
            // Microseconds, as written: PostgreSQL keeps no finer digits.
            let text = audit_chain::canonical_time(a.occurred_at);
            assert_eq!(text.len(), "2026-12-06T03:04:05.123456Z".len(), "{text}");
        }
        // Sealed on this backend, verified from a fresh read.
        audit_chain::seal(&app.db).await.expect("seal");
        let outcome = audit_chain::verify(&app.db).await.expect("verify");
        assert_eq!(outcome.first_break, None);
        assert_eq!(outcome.verified, first.len() as u64);
    }
}

#[tokio::test]
async fn serve_seals_in_the_background() {
    for app in spawn_apps().await {
        crate::fixture::build(&app).await;
        let env = [
            ("CONCORD_DATABASE_URL", app.database_url.as_str()),
            ("CONCORD_JWT_SECRET", crate::helpers::SECRET),
            ("CONCORD_JWT_ISSUER", "https://idp.test.invalid"),
            ("CONCORD_JWT_AUDIENCE", "concord"),
            ("CONCORD_LISTEN", "127.0.0.1:0"),
            ("CONCORD_AUDIT_SEAL_SECONDS", "1"),
        ];
        let server = crate::helpers::process::Server::start(&env);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut last = String::new();
        while std::time::Instant::now() < deadline {
            let (ok, out) = verify(&app);
            assert!(ok, "{out}");
            if out.contains("; 0 rows not yet sealed") && !out.contains(" 0 rows verified") {
                last.clear();
                break;
            }
            last = out;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        server.stop();
        assert!(last.is_empty(), "not sealed in time: {last}");
    }
}

#[tokio::test]
async fn an_altered_chain_entry_is_named() {
    for app in spawn_apps().await {
        crate::fixture::build(&app).await;
        audit_chain::seal(&app.db).await.expect("seal");
        let second = chained(&app, 2).await;
        as_dba_on(
            &app,
            "audit_chain",
            "UPDATE audit_chain SET hash = ? WHERE seq = 2",
            audit_chain::GENESIS.into(),
        )
        .await;
        let (ok, out) = verify(&app);
        assert!(!ok, "{out}");
        assert!(
            out.contains(&format!(
                "seq 2 (audit event {second}): chain entry altered"
            )),
            "{out}"
        );
    }
}

#[tokio::test]
async fn verify_reports_how_old_the_unsealed_rows_are_and_fails_past_the_age_allowed() {
    for app in spawn_apps().await {
        let f = crate::fixture::build(&app).await;
        // Fresh rows, not sealed yet: reported, and within an hour.
        let (ok, out) = verify(&app);
        assert!(ok, "{out}");
        assert!(out.contains("oldest unsealed row: occurred "), "{out}");
        assert!(out.contains(" seconds ago)"), "{out}");
        let (ok, out) = verify_with(&app, &["--max-unsealed-age", "3600"]);
        assert!(ok, "{out}");

        // A row written two hours ago and never sealed (a sealer that stopped).
        let actor = api::auth::Actor {
            subject: "synthetic-stalled".into(),
            name: "Synthetic stalled".into(),
            agency_id: f.agency("csc"),
            agency_code: "csc".into(),
            agency_kind: entity::enums::AgencyKind::ChildrensSocialCare,
            roles: Default::default(),
            expires_at: Utc::now(),
        };
        let caller = api::domain::Caller::new(actor, "synthetic".into())
            .with_now(Utc::now() - Duration::hours(2));
        api::domain::audit::record(
            &app.db,
            &caller,
            api::domain::audit::AuditAction::ReadChild,
            api::domain::audit::Target::child(uuid_of(&f.alpha)),
            entity::enums::AuditOutcome::Allowed,
            None,
        )
        .await
        .expect("old row");
        let (ok, out) = verify(&app);
        assert!(ok, "without the flag the age is only reported: {out}");
        let (ok, out) = verify_with(&app, &["--max-unsealed-age", "3600"]);
        assert!(!ok, "{out}");
        assert!(
            out.contains("audit chain verified"),
            "the chain itself holds: {out}"
        );
        assert!(out.contains("unsealed rows too old"), "{out}");
        let (ok, out) = verify_with(&app, &["--max-unsealed-age", "86400"]);
        assert!(ok, "{out}");

        // Sealed, nothing is waiting: even an age of 0 passes.
        audit_chain::seal(&app.db).await.expect("seal");
        let (ok, out) = verify_with(&app, &["--max-unsealed-age", "0"]);
        assert!(ok, "{out}");
        assert!(out.contains("; 0 rows not yet sealed"), "{out}");
        assert!(!out.contains("oldest unsealed row"), "{out}");

        // A bad value is refused by the command line, naming the flag.
        let bad = concord(
            &["audit", "verify", "--max-unsealed-age", "an hour"],
            &[("CONCORD_DATABASE_URL", app.database_url.as_str())],
        );
        assert_eq!(bad.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&bad.stderr).contains("--max-unsealed-age"),
            "{bad:?}"
        );
    }
}
