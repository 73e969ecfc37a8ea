//! `bench explain`: PostgreSQL's plans of the heavy queries, captured as Concord sends
//! them (the server logs its statements at `RUST_LOG=sqlx=debug`; the ones below are the
//! shapes the baseline and the issue name), with `EXPLAIN (ANALYZE, BUFFERS)`.

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::ops::Targets;

/// Prints the plan of each statement in `queries` (one per line of the file, `$1` is the
/// busiest agency's id, `$2` a heavy child's id), or of the built-in heavy queries.
pub async fn explain(db: &DatabaseConnection, queries: Option<String>) -> anyhow::Result<String> {
    anyhow::ensure!(
        db.get_database_backend() == sea_orm::DatabaseBackend::Postgres,
        "bench explain needs PostgreSQL (SQLite has EXPLAIN QUERY PLAN only)"
    );
    let targets = Targets::find(db, 1).await?;
    let agency = targets.busiest_agency_id;
    let child = targets
        .heavy_children
        .first()
        .map(|c| c.0)
        .unwrap_or_default();
    let statements: Vec<(String, String)> = match queries {
        Some(text) => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, l)| (format!("query {}", i + 1), l.to_owned()))
            .collect(),
        None => HEAVY
            .iter()
            .map(|(n, q)| (n.to_string(), q.to_string()))
            .collect(),
    };
    let mut out = String::new();
    for (name, sql) in statements {
        let sql = sql
            .replace("$1", &format!("'{agency}'::uuid"))
            .replace("$2", &format!("'{child}'::uuid"));
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                format!("EXPLAIN (ANALYZE, BUFFERS) {sql}"),
            ))
            .await?;
        out.push_str(&format!("### {name}\n\n```sql\n{sql}\n```\n\n```\n"));
        for row in rows {
            out.push_str(&row.try_get::<String>("", "QUERY PLAN")?);
            out.push('\n');
        }
        out.push_str("```\n\n");
    }
    Ok(out)
}

/// The heavy queries as hand-written SQL with Concord's scoping (`$1` agency, `$2` child).
pub const HEAVY: [(&str, &str); 5] = [
    (
        "caseload page: visible children (OR of two IN lists, as Concord's policy builds it)",
        "SELECT c.id FROM children c WHERE c.id IN (SELECT i.child_id FROM involvements i \
         WHERE i.agency_id = $1 AND i.ended_on IS NULL) OR c.id IN (SELECT g.child_id FROM \
         access_grants g WHERE g.agency_id = $1 AND g.expires_at > now()) ORDER BY c.id LIMIT 50",
    ),
    (
        "caseload page: visible children (EXISTS, as the baseline)",
        "SELECT c.id FROM children c WHERE EXISTS (SELECT 1 FROM involvements i WHERE \
         i.child_id = c.id AND i.agency_id = $1 AND i.ended_on IS NULL) OR EXISTS (SELECT 1 \
         FROM access_grants g WHERE g.child_id = c.id AND g.agency_id = $1 AND g.expires_at > now()) \
         ORDER BY c.id LIMIT 50",
    ),
    (
        "single-child visibility",
        "SELECT c.id FROM children c WHERE c.id = $2 AND (c.id IN (SELECT i.child_id FROM \
         involvements i WHERE i.agency_id = $1 AND i.ended_on IS NULL) OR c.id IN (SELECT \
         g.child_id FROM access_grants g WHERE g.agency_id = $1 AND g.expires_at > now()))",
    ),
    (
        "overdue dashboard: the facts of the busiest agency's children",
        "SELECT e.child_id, e.kind, e.occurred_at FROM chronology_entries e WHERE e.child_id IN \
         (SELECT i.child_id FROM involvements i WHERE i.agency_id = $1 AND i.ended_on IS NULL) \
         ORDER BY e.child_id, e.occurred_at",
    ),
    (
        "strategic report: behaviours by traffic light over a year",
        "SELECT traffic_light, COUNT(*) FROM behaviours WHERE disclosed_at >= now() - interval '1 year' \
         GROUP BY traffic_light",
    ),
];
