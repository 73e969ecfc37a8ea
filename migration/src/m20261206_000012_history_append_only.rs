//! The record's history append-only in the database (`docs/access.md`), like the audit
//! log: the earlier versions of corrected records (`record_versions`) and the retention
//! run's tombstones (`erasures`).
//!
//! `erasures` refuses every `UPDATE` and `DELETE`. `record_versions` refuses every
//! `UPDATE`, and every `DELETE` but the retention run's: a version of a child whose
//! tombstone is already in `erasures`, which the run writes, in the erasing transaction,
//! before it deletes the record. `TRUNCATE` of either is refused on PostgreSQL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

/// Adds the triggers that keep `record_versions` and `erasures` append-only.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// PostgreSQL: one function refuses every change of the two tables but the erasure's
/// deletes of `record_versions`. It reads `erasures` through the schema it was created in,
/// with a fixed `search_path` (`{schema}` is filled in at migration time), so a temporary
/// table of the same name cannot stand in for it.
const POSTGRES_UP: [&str; 5] = [
    r"CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, {schema}, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'record_versions' THEN
        IF EXISTS (SELECT 1 FROM {schema}.erasures e WHERE e.id = OLD.child_id) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$",
    "CREATE TRIGGER record_versions_no_truncate BEFORE TRUNCATE ON record_versions \
     FOR EACH STATEMENT EXECUTE FUNCTION history_append_only()",
    "CREATE TRIGGER erasures_no_truncate BEFORE TRUNCATE ON erasures \
     FOR EACH STATEMENT EXECUTE FUNCTION history_append_only()",
    "CREATE TRIGGER record_versions_append_only BEFORE UPDATE OR DELETE ON record_versions \
     FOR EACH ROW EXECUTE FUNCTION history_append_only()",
    "CREATE TRIGGER erasures_append_only BEFORE UPDATE OR DELETE ON erasures \
     FOR EACH ROW EXECUTE FUNCTION history_append_only()",
];

const POSTGRES_DOWN: [&str; 5] = [
    "DROP TRIGGER IF EXISTS record_versions_no_truncate ON record_versions",
    "DROP TRIGGER IF EXISTS erasures_no_truncate ON erasures",
    "DROP TRIGGER IF EXISTS record_versions_append_only ON record_versions",
    "DROP TRIGGER IF EXISTS erasures_append_only ON erasures",
    "DROP FUNCTION IF EXISTS history_append_only()",
];

/// SQLite: the same rules (a trigger's body reads the tables of its own schema).
const SQLITE_UP: [&str; 4] = [
    "CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions \
     BEGIN SELECT RAISE(ABORT, 'record_versions is append-only: UPDATE refused'); END",
    "CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions \
     WHEN NOT EXISTS (SELECT 1 FROM erasures WHERE erasures.id = OLD.child_id) \
     BEGIN SELECT RAISE(ABORT, 'record_versions is append-only: DELETE refused'); END",
    "CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures \
     BEGIN SELECT RAISE(ABORT, 'erasures is append-only: UPDATE refused'); END",
    "CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures \
     BEGIN SELECT RAISE(ABORT, 'erasures is append-only: DELETE refused'); END",
];

const SQLITE_DOWN: [&str; 4] = [
    "DROP TRIGGER IF EXISTS record_versions_no_update",
    "DROP TRIGGER IF EXISTS record_versions_no_delete",
    "DROP TRIGGER IF EXISTS erasures_no_update",
    "DROP TRIGGER IF EXISTS erasures_no_delete",
];

// The trait's own signature elides the manager's lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let schema = db
                    .query_one_raw(sea_orm_migration::sea_orm::Statement::from_string(
                        DatabaseBackend::Postgres,
                        "SELECT quote_ident(current_schema())",
                    ))
                    .await?
                    .ok_or_else(|| DbErr::Custom("no current schema".into()))?
                    .try_get_by_index::<String>(0)?;
                for statement in POSTGRES_UP {
                    db.execute_unprepared(&statement.replace("{schema}", &schema))
                        .await?;
                }
            }
            _ => {
                for statement in SQLITE_UP {
                    db.execute_unprepared(statement).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements: &[&str] = match db.get_database_backend() {
            DatabaseBackend::Postgres => &POSTGRES_DOWN,
            _ => &SQLITE_DOWN,
        };
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
