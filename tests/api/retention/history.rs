//! The record's history and the tombstones are append-only in the database, like the
//! audit log (`docs/access.md`): the service's own connection can neither change nor
//! remove an earlier version (`record_versions`) or a tombstone (`erasures`), on SQLite
//! and PostgreSQL; only the retention run's erasure removes a record's versions, with
//! the record, once its tombstone is written.

use chrono::{NaiveDate, Utc};
use entity::{erasures, record_versions};
use sea_orm::{ColumnTrait as _, ConnectionTrait as _, EntityTrait as _};
use serde_json::json;
use uuid::Uuid;

use super::{close_case, years_on};
use crate::fixture::{self, Fixture};
use crate::helpers::db::count_where;
use crate::helpers::{TestApp, spawn_apps, uuid_of};

/// Writes an earlier version of `child` (as a correction of its name would).
async fn version_of(app: &TestApp, f: &Fixture, child: &str) -> Uuid {
    let now = Utc::now();
    let id = Uuid::now_v7();
    record_versions::Entity::insert(record_versions::ActiveModel::from(record_versions::Model {
        id,
        entity_type: "Child".into(),
        entity_id: uuid_of(child),
        child_id: uuid_of(child),
        version: 1,
        snapshot: json!({ "givenName": "Earlier" }),
        changed_fields: record_versions::FieldNames(vec!["givenName".into()]),
        reason: "Synthetic correction reason.".into(),
        amended_by: "synthetic-lead".into(),
        amended_by_agency_id: f.agency("csc"),
        amended_at: now,
        created_at: now,
        updated_at: now,
    }))
    .exec(&app.db)
    .await
    .expect("version");
    id
}

async fn expect_refused(app: &TestApp, sql: &str) {
    let error = app
        .db
        .execute_unprepared(sql)
        .await
        .expect_err(sql)
        .to_string();
    assert!(error.contains("append-only"), "{sql}: {error}");
}

async fn versions_of(app: &TestApp, child: &str) -> u64 {
    count_where::<record_versions::Entity>(
        &app.db,
        record_versions::Column::ChildId.eq(uuid_of(child)),
    )
    .await
}

#[tokio::test]
async fn the_service_cannot_change_or_remove_a_record_s_history_or_a_tombstone() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        version_of(&app, &f, &f.alpha).await;
        version_of(&app, &f, &f.bravo).await;
        // A tombstone of a record erased long ago.
        let now = Utc::now();
        erasures::Entity::insert(erasures::ActiveModel::from(erasures::Model {
            id: Uuid::now_v7(),
            record_class: "CASE_RECORD".into(),
            rule: "CASE_RECORD: 35 years after last contact".into(),
            retain_until: NaiveDate::from_ymd_opt(2020, 1, 1).expect("day"),
            erased_at: now,
            erased_by: "retention-run".into(),
            created_at: now,
            updated_at: now,
        }))
        .exec(&app.db)
        .await
        .expect("tombstone");
        let versions = record_versions::Entity::find()
            .all(&app.db)
            .await
            .expect("rows");
        let tombstones = erasures::Entity::find().all(&app.db).await.expect("rows");

        expect_refused(&app, "UPDATE record_versions SET reason = 'edited'").await;
        expect_refused(&app, "DELETE FROM record_versions").await;
        expect_refused(&app, "UPDATE erasures SET rule = 'edited'").await;
        expect_refused(&app, "DELETE FROM erasures").await;
        if app.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            expect_refused(&app, "TRUNCATE record_versions").await;
            expect_refused(&app, "TRUNCATE erasures").await;
            // A temporary table named like the tombstones cannot stand in for them (one
            // batch, so one connection; it is rolled back with the refusal).
            expect_refused(
                &app,
                &format!(
                    "CREATE TEMP TABLE erasures (id uuid); \
                     INSERT INTO erasures VALUES ('{}'); \
                     DELETE FROM record_versions WHERE child_id = '{}'",
                    uuid_of(&f.alpha),
                    uuid_of(&f.alpha)
                ),
            )
            .await;
        }
        assert_eq!(
            record_versions::Entity::find()
                .all(&app.db)
                .await
                .expect("rows"),
            versions
        );
        assert_eq!(
            erasures::Entity::find().all(&app.db).await.expect("rows"),
            tombstones
        );
    }
}

#[tokio::test]
async fn the_retention_run_still_erases_a_record_with_its_history() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        version_of(&app, &f, &f.alpha).await;
        version_of(&app, &f, &f.alpha).await;
        version_of(&app, &f, &f.bravo).await;
        close_case(&app, &f.alpha).await;

        let policy = api::timescales::policy_file::RetentionPolicy::default();
        let applied = api::domain::retention::run::apply(&app.db, &policy, years_on(40))
            .await
            .expect("apply");
        assert_eq!(applied.erased.len(), 1, "{:?}", applied.due);
        assert_eq!(applied.erased[0].child_id, uuid_of(&f.alpha));
        assert_eq!(versions_of(&app, &f.alpha).await, 0);
        assert_eq!(
            versions_of(&app, &f.bravo).await,
            1,
            "Bravo's history stays"
        );
        let tomb = erasures::Entity::find_by_id(uuid_of(&f.alpha))
            .one(&app.db)
            .await
            .expect("query");
        assert!(tomb.is_some(), "the tombstone was written");
        // Bravo has no tombstone: its history is as protected as before.
        expect_refused(&app, "DELETE FROM record_versions").await;
        expect_refused(&app, "DELETE FROM erasures").await;
        assert_eq!(versions_of(&app, &f.bravo).await, 1);
    }
}
