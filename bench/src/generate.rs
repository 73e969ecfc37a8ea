//! `bench generate`: migrates a database and writes a synthetic partnership into it.
//!
//! Deadlines are not written: they are derived from the facts written here (chronology,
//! behaviours, plans, reviews). Once deadlines are stored, the server rebuilds them from
//! these facts at start-up.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use entity::audit_events;
use entity::enums::AuditOutcome;
use migration::MigratorTrait as _;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Iterable, TransactionTrait,
};

use crate::partnership::{Partnership, Scale, id_at, practitioner};

/// The sizes of the issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Size {
    /// 4 agencies, 40 children: for CI.
    Tiny,
    /// 2,000 children, the rest scaled.
    Small,
    /// 40 agencies, 20,000 children, 1,000,000 audit events.
    Large,
}

impl Size {
    /// The numbers of rows of each kind.
    pub fn scale(self) -> Scale {
        match self {
            Size::Tiny => Scale {
                agencies: 4,
                children: 40,
                behaviours: 120,
                chronology: 400,
                plans: 16,
                actions_per_plan: 5,
                audit_events: 2_000,
                heavy_children: 2,
            },
            Size::Small => Scale {
                agencies: 20,
                children: 2_000,
                behaviours: 6_000,
                chronology: 20_000,
                plans: 800,
                actions_per_plan: 5,
                audit_events: 100_000,
                heavy_children: 10,
            },
            Size::Large => Scale {
                agencies: 40,
                children: 20_000,
                behaviours: 60_000,
                chronology: 200_000,
                plans: 8_000,
                actions_per_plan: 5,
                audit_events: 1_000_000,
                heavy_children: 20,
            },
        }
    }
}

/// Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMS: usize = 30_000;

/// Inserts `rows` in multi-row statements, in one transaction.
async fn insert_all<E, M>(db: &DatabaseConnection, rows: Vec<M>) -> anyhow::Result<u64>
where
    E: EntityTrait,
    M: IntoActiveModel<E::ActiveModel>,
{
    let per_statement = (MAX_PARAMS / E::Column::iter().count()).max(1);
    let txn = db.begin().await?;
    let mut written = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<M> = rows.by_ref().take(per_statement).collect();
        written += sea_orm::InsertMany::<E::ActiveModel>::many(chunk)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(written)
}

/// What was written, to print.
pub struct Summary {
    /// (table, rows).
    pub counts: Vec<(&'static str, u64)>,
    /// Codes of the agencies, busiest first.
    pub busiest_agency: String,
    /// Children with 100 chronology entries.
    pub heavy_children: Vec<uuid::Uuid>,
    /// Seconds it took.
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "| table | rows |\n|---|---:|")?;
        for (table, rows) in &self.counts {
            writeln!(f, "| {table} | {rows} |")?;
        }
        writeln!(f, "\nwritten in {:.1} s", self.seconds)?;
        writeln!(
            f,
            "busiest agency: {} (designated social care); designated police: {}",
            self.busiest_agency,
            crate::partnership::DESIGNATED_POLICE
        )?;
        let heavy: Vec<String> = self.heavy_children.iter().map(|c| c.to_string()).collect();
        writeln!(
            f,
            "children with 100 chronology entries: {}",
            heavy.join(", ")
        )
    }
}

/// Migrates `db` and writes a partnership of `size`; the database must be empty.
pub async fn generate(db: &DatabaseConnection, size: Size, seed: u64) -> anyhow::Result<Summary> {
    let started = Instant::now();
    migration::Migrator::up(db, None).await?;
    let existing: Option<entity::agencies::Model> =
        entity::agencies::Entity::find().one(db).await?;
    if existing.is_some() {
        anyhow::bail!("the database already holds agencies: generate into an empty database");
    }
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        // Bulk loading: the file is rebuilt from scratch if the machine fails meanwhile.
        db.execute_unprepared("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF")
            .await?;
    }
    let scale = size.scale();
    let mut rng = StdRng::seed_from_u64(seed);
    let now = Utc::now()
        .with_timezone(&Utc)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_else(Utc::now);
    let p = Partnership::build(&scale, &mut rng, now);
    let mut counts = Vec::new();
    let busiest_agency = p.agencies[0].code.clone();
    let heavy_children = p.heavy.clone();
    let agencies = p.agencies.clone();
    let child_ids: Vec<uuid::Uuid> = p.children.iter().map(|c| c.id).collect();
    let teams = p.teams.clone();
    let leads: Vec<usize> = teams.iter().map(|t| t[0]).collect();
    macro_rules! write {
        ($table:literal, $entity:ty, $rows:expr) => {
            counts.push(($table, insert_all::<$entity, _>(db, $rows).await?));
        };
    }
    write!("agencies", entity::agencies::Entity, p.agencies);
    write!("children", entity::children::Entity, p.children);
    write!("involvements", entity::involvements::Entity, p.involvements);
    write!("behaviours", entity::behaviours::Entity, p.behaviours);
    write!(
        "affected_children",
        entity::affected_children::Entity,
        p.affected
    );
    write!(
        "chronology_entries",
        entity::chronology_entries::Entity,
        p.chronology
    );
    write!("joint_plans", entity::joint_plans::Entity, p.plans);
    write!("plan_members", entity::plan_members::Entity, p.members);
    write!("plan_actions", entity::plan_actions::Entity, p.actions);
    write!(
        "consultations",
        entity::consultations::Entity,
        p.consultations
    );
    write!("plan_reviews", entity::plan_reviews::Entity, p.reviews);
    write!("access_grants", entity::access_grants::Entity, p.grants);
    // The audit log is written in slices so the large set never sits in memory at once.
    let mut audited = 0;
    let mut left = scale.audit_events;
    while left > 0 {
        let n = left.min(50_000);
        let rows: Vec<audit_events::Model> = (0..n)
            .map(|_| audit_row(&mut rng, now, &agencies, &child_ids, &leads))
            .collect();
        audited += insert_all::<audit_events::Entity, _>(db, rows).await?;
        left -= n;
    }
    counts.push(("audit_events", audited));
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    } else {
        db.execute_unprepared("PRAGMA synchronous = NORMAL; ANALYZE")
            .await?;
    }
    Ok(Summary {
        counts,
        busiest_agency,
        heavy_children,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// One plausible past audit row: mostly reads of a child by a practitioner of its lead.
fn audit_row(
    rng: &mut StdRng,
    now: DateTime<Utc>,
    agencies: &[entity::agencies::Model],
    children: &[uuid::Uuid],
    leads: &[usize],
) -> audit_events::Model {
    let c = rng.random_range(0..children.len());
    let agency = &agencies[leads[c]];
    let at = now - Duration::seconds(rng.random_range(1..(86_400 * 365)));
    let (action, entity_type, child) = match rng.random_range(0..100) {
        0..70 => ("READ_CHILD", "Child", Some(children[c])),
        70..85 => ("LIST_CHILDREN", "Child", None),
        85..90 => ("RECORD_BEHAVIOUR", "Behaviour", Some(children[c])),
        90..95 => ("ADD_CHRONOLOGY_ENTRY", "ChronologyEntry", Some(children[c])),
        _ => ("READ_JOINT_PLAN", "JointPlan", Some(children[c])),
    };
    let denied = rng.random_bool(0.02);
    audit_events::Model {
        id: id_at(at),
        occurred_at: at,
        actor_subject: practitioner(&agency.code, rng.random_range(1..4)),
        actor_agency_id: Some(agency.id),
        actor_agency_code: Some(agency.code.clone()),
        actor_roles: "PRACTITIONER".into(),
        action: action.into(),
        entity_type: entity_type.into(),
        entity_id: if action == "READ_CHILD" { child } else { None },
        child_id: child,
        outcome: if denied {
            AuditOutcome::Denied
        } else {
            AuditOutcome::Allowed
        },
        reason: denied.then(|| "not on the case team".into()),
        request_id: Some(uuid::Uuid::new_v4().to_string()),
        created_at: at,
        updated_at: at,
        changes: None,
    }
}
