//! A read replica (`CONCORD_READ_DATABASE_URL`), here the test database given a second
//! time: the strategic report reads through the read pool, while what decides access or
//! writes (a refusal and its audit row) stays on the primary.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use api::app::{Pools, ServerOptions, connect};
use entity::audit_events;
use entity::enums::AuditOutcome;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::fixture;
use crate::helpers::{Keys, TestActor, backends, error_code, spawn_app_with_pools};

const REPORT: &str =
    "query($from: DateTime!, $to: DateTime!) { strategicReport(from: $from, to: $to) {
    referrals { total { value suppressed } }
    behavioursByTrafficLight { total { value suppressed } } } }";

/// Statements run through the read pool, and how many of them wrote.
#[derive(Default)]
struct ReadPool {
    statements: AtomicU64,
    writes: AtomicU64,
}

#[tokio::test]
async fn the_strategic_report_reads_through_the_read_pool_and_a_refusal_stays_on_the_primary() {
    for backend in backends() {
        let pool = Arc::new(ReadPool::default());
        let counter = Arc::clone(&pool);
        let app = spawn_app_with_pools(
            backend,
            Keys::Hs256,
            ServerOptions::default(),
            |url| async move {
                let mut read = connect(&url).await.expect("read pool");
                read.set_metric_callback(move |info| {
                    counter.statements.fetch_add(1, Ordering::Relaxed);
                    let sql = info.statement.sql.trim_start().to_ascii_uppercase();
                    if ["INSERT", "UPDATE", "DELETE"]
                        .iter()
                        .any(|verb| sql.starts_with(verb))
                    {
                        counter.writes.fetch_add(1, Ordering::Relaxed);
                    }
                });
                Pools {
                    subscriptions: None,
                    read: Some(read),
                }
            },
        )
        .await;
        fixture::build(&app).await;
        let period = json!({ "from": "2026-01-01T00:00:00Z", "to": "2026-12-31T00:00:00Z" });

        let before = pool.statements.load(Ordering::Relaxed);
        let report = app
            .ok_as(&TestActor::analyst("csc"), REPORT, period.clone())
            .await;
        assert!(
            report["strategicReport"]["referrals"]["total"].is_object(),
            "{report}"
        );
        assert!(
            pool.statements.load(Ordering::Relaxed) > before,
            "the report read through the read pool"
        );

        let before = pool.statements.load(Ordering::Relaxed);
        let refused = app
            .gql_as(&TestActor::practitioner("csc"), REPORT, period)
            .await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
        assert_eq!(
            pool.statements.load(Ordering::Relaxed),
            before,
            "a caller the policy refuses never reaches the replica"
        );
        let denials = audit_events::Entity::find()
            .filter(audit_events::Column::Action.eq("READ_STRATEGIC_REPORT"))
            .filter(audit_events::Column::Outcome.eq(AuditOutcome::Denied))
            .count(&app.db)
            .await
            .expect("audit query");
        assert_eq!(denials, 1, "the refusal is audited on the primary");
        assert_eq!(
            pool.writes.load(Ordering::Relaxed),
            0,
            "nothing is written through the read pool"
        );
    }
}
