//! An audit trail that proves it (`docs/access.md`): what each operation changed
//! (`audit_events.changes`), the audit log append-only in the database, and the hash
//! chain that seals it.

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

/// Adds `audit_events.changes`, creates `audit_chain`, `audit_chain_anchor` and
/// `audit_retention`, and the triggers that keep the audit tables append-only.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// PostgreSQL: one function refuses every `UPDATE` and `DELETE` of the audit tables,
/// except the deletes `prune_audit_log` opens a window for in `audit_retention`.
///
/// The function reads `audit_retention` through the schema it was created in, with a fixed
/// `search_path` (`{schema}` is filled in at migration time), so a temporary table of the
/// same name cannot stand in for it; `TRUNCATE` is refused by statement triggers.
const POSTGRES_UP: [&str; 7] = [
    r"CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, {schema}, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF TG_TABLE_NAME = 'audit_events' THEN
            IF OLD.occurred_at < (SELECT cutoff FROM {schema}.audit_retention LIMIT 1) THEN
                RETURN OLD;
            END IF;
        ELSIF TG_TABLE_NAME = 'audit_chain' THEN
            IF OLD.seq <= (SELECT chain_seq FROM {schema}.audit_retention LIMIT 1) THEN
                RETURN OLD;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events \
     FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
    "CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain \
     FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
    "CREATE TRIGGER audit_chain_anchor_no_truncate BEFORE TRUNCATE ON audit_chain_anchor \
     FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events \
     FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
    "CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain \
     FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
    "CREATE TRIGGER audit_chain_anchor_append_only BEFORE UPDATE OR DELETE ON audit_chain_anchor \
     FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
];

const POSTGRES_DOWN: [&str; 7] = [
    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
    "DROP TRIGGER IF EXISTS audit_chain_no_truncate ON audit_chain",
    "DROP TRIGGER IF EXISTS audit_chain_anchor_no_truncate ON audit_chain_anchor",
    "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
    "DROP TRIGGER IF EXISTS audit_chain_append_only ON audit_chain",
    "DROP TRIGGER IF EXISTS audit_chain_anchor_append_only ON audit_chain_anchor",
    "DROP FUNCTION IF EXISTS audit_append_only()",
];

/// SQLite: the same rules. Timestamps are stored as text in one format, so the cutoff
/// (written the same way) compares like with like; no window (a `NULL` cutoff) refuses.
const SQLITE_UP: [&str; 6] = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events \
     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events \
     WHEN NOT COALESCE(OLD.occurred_at < (SELECT cutoff FROM audit_retention LIMIT 1), 0) \
     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END",
    "CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain \
     BEGIN SELECT RAISE(ABORT, 'audit_chain is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain \
     WHEN NOT COALESCE(OLD.seq <= (SELECT chain_seq FROM audit_retention LIMIT 1), 0) \
     BEGIN SELECT RAISE(ABORT, 'audit_chain is append-only: DELETE refused'); END",
    "CREATE TRIGGER audit_chain_anchor_no_update BEFORE UPDATE ON audit_chain_anchor \
     BEGIN SELECT RAISE(ABORT, 'audit_chain_anchor is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_chain_anchor_no_delete BEFORE DELETE ON audit_chain_anchor \
     BEGIN SELECT RAISE(ABORT, 'audit_chain_anchor is append-only: DELETE refused'); END",
];

const SQLITE_DOWN: [&str; 6] = [
    "DROP TRIGGER IF EXISTS audit_events_no_update",
    "DROP TRIGGER IF EXISTS audit_events_no_delete",
    "DROP TRIGGER IF EXISTS audit_chain_no_update",
    "DROP TRIGGER IF EXISTS audit_chain_no_delete",
    "DROP TRIGGER IF EXISTS audit_chain_anchor_no_update",
    "DROP TRIGGER IF EXISTS audit_chain_anchor_no_delete",
];

// The trait's own signature elides the manager's lifetime.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("audit_events")
                    .add_column(json_null("changes"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_chain")
                    // Assigned by the sealer, ascending from 1.
                    .col(big_integer("seq").primary_key())
                    .col(uuid_uniq("audit_id"))
                    .col(string("prev_hash"))
                    .col(string("hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_chain_anchor")
                    // The seq of the last pruned entry, and its hash.
                    .col(big_integer("seq").primary_key())
                    .col(string("hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_retention")
                    .col(integer("id").primary_key())
                    // Set only inside the pruning transaction.
                    .col(timestamp_with_time_zone_null("cutoff"))
                    .col(big_integer_null("chain_seq"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO audit_retention (id, cutoff, chain_seq) VALUES (1, NULL, NULL)",
        )
        .await?;
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
        for table in ["audit_retention", "audit_chain_anchor", "audit_chain"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("audit_events")
                    .drop_column("changes")
                    .to_owned(),
            )
            .await
    }
}
