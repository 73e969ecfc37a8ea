//! `serve`'s audit sealer (`audit_chain::Sealer`): a backlog sealed in one walk across
//! several batches, then only the rows after the newest sealed on a routine pass, the
//! recent rows on a look-back pass, and the whole log again when the process starts afresh;
//! and its write transaction, which reads before it writes, against a request's audit row
//! committed in between.

use api::domain::audit::{AuditAction, Target, record};
use api::domain::{Caller, audit_chain};
use chrono::{DateTime, Duration, Utc};
use entity::audit_events;
use sea_orm::{EntityTrait as _, PaginatorTrait as _};

use crate::fixture::Fixture;
use crate::helpers::{TestApp, spawn_apps, uuid_of};

/// Writes `n` audit rows that all occurred at `at`, as a request with that clock would.
async fn rows_at(app: &TestApp, f: &Fixture, at: DateTime<Utc>, n: usize) {
    let caller = caller_at(f, at);
    for _ in 0..n {
        read_child(&app.db, &caller, uuid_of(&f.alpha))
            .await
            .expect("audit row");
    }
}

/// The audit row of a read of a child's record.
async fn read_child<C: sea_orm::ConnectionTrait>(
    db: &C,
    caller: &Caller,
    child: uuid::Uuid,
) -> api::error::ApiResult<()> {
    record(
        db,
        caller,
        AuditAction::ReadChild,
        Target::child(child),
        entity::enums::AuditOutcome::Allowed,
        None,
    )
    .await
}

/// A caller whose clock reads `at`.
fn caller_at(f: &Fixture, at: DateTime<Utc>) -> Caller {
    let actor = api::auth::Actor {
        subject: "synthetic-sealer".into(),
        name: "Synthetic sealer".into(),
        agency_id: f.agency("csc"),
        agency_code: "csc".into(),
        agency_kind: entity::enums::AgencyKind::ChildrensSocialCare,
        roles: Default::default(),
        expires_at: Utc::now(),
    };
    Caller::new(actor, "synthetic".into()).with_now(at)
}

async fn unsealed(app: &TestApp) -> u64 {
    let outcome = audit_chain::verify(&app.db).await.expect("verify");
    assert_eq!(outcome.first_break, None);
    outcome.unsealed
}

#[tokio::test]
async fn the_sealer_walks_a_backlog_once_then_reads_only_the_recent_rows() {
    for app in spawn_apps().await {
        let f = crate::fixture::build(&app).await;
        // A backlog of more than one batch, most of it at one instant, so that the walk
        // goes on from a row by its id as well as its time.
        let batch = usize::try_from(audit_chain::SEAL_BATCH).expect("batch");
        rows_at(&app, &f, Utc::now() - Duration::days(30), batch + 150).await;
        let total = audit_events::Entity::find()
            .count(&app.db)
            .await
            .expect("count");
        assert!(total > audit_chain::SEAL_BATCH + 150);

        // Looks back only when told to, so that no pass of the test looks back by the clock.
        let mut sealer =
            audit_chain::Sealer::looking_back_every(std::time::Duration::from_secs(24 * 60 * 60));
        assert_eq!(sealer.seal(&app.db).await.expect("seal"), total);
        assert_eq!(unsealed(&app).await, 0);
        assert_eq!(sealer.seal(&app.db).await.expect("seal"), 0);

        // A row of a transaction that committed a little after the sealer passed its
        // time is within the look-back; one far older (restored into a running
        // database) is left for the next whole walk, and reported until then.
        let newest = Utc::now();
        rows_at(&app, &f, newest, 1).await;
        assert_eq!(sealer.seal(&app.db).await.expect("seal"), 1);
        let late = newest - audit_chain::LOOKBACK / 2;
        rows_at(&app, &f, late, 1).await;
        rows_at(&app, &f, newest - Duration::days(3), 1).await;
        // A routine pass goes on after the newest row it sealed: both wait.
        assert_eq!(sealer.seal(&app.db).await.expect("seal"), 0);
        assert_eq!(unsealed(&app).await, 2);
        sealer.look_back_next_pass();
        assert_eq!(sealer.seal(&app.db).await.expect("seal"), 1);
        let outcome = audit_chain::verify(&app.db).await.expect("verify");
        assert_eq!(outcome.unsealed, 1);
        let oldest = outcome.oldest_unsealed.expect("the old row waits");
        assert!(oldest < newest - Duration::days(2), "{oldest}");

        // A sealer that starts afresh (serve restarted) walks the whole log.
        let mut restarted = audit_chain::Sealer::default();
        assert_eq!(restarted.seal(&app.db).await.expect("seal"), 1);
        assert_eq!(unsealed(&app).await, 0);
        let outcome = audit_chain::verify(&app.db).await.expect("verify");
        assert_eq!(outcome.verified, total + 3);
    }
}

/// A write transaction that reads before it writes (the sealer's batch, most mutations) is
/// not failed by an audit row that a read request commits in between: on SQLite it holds
/// the write lock from `BEGIN`, and the request's insert waits for it. (A deferred
/// transaction failed at its first write with "database is locked".)
#[tokio::test]
async fn a_write_transaction_that_reads_first_outlasts_an_audit_row_written_meanwhile() {
    for app in spawn_apps().await {
        let f = crate::fixture::build(&app).await;
        let txn = api::domain::tx::begin(&app.db).await.expect("begin");
        let before = audit_events::Entity::find()
            .count(&*txn)
            .await
            .expect("read");
        let child = uuid_of(&f.alpha);
        let request = {
            let (db, caller) = (app.db.clone(), caller_at(&f, Utc::now()));
            tokio::spawn(async move { read_child(&db, &caller, child).await })
        };
        // Long enough for the request's insert to commit, were it not made to wait.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        read_child(&*txn, &caller_at(&f, Utc::now()), child)
            .await
            .expect("the transaction's write");
        txn.commit().await.expect("commit");
        request
            .await
            .expect("the request's task")
            .expect("the request's audit row, after the transaction");
        let after = audit_events::Entity::find()
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(after, before + 2, "{:?}", app.backend);
    }
}
