//! The record's lifecycle from the shell and in the background: `concord retention run`,
//! the retention schedule inside `serve`, `concord audit verify` and the audit sealer.

use anyhow::Context as _;

use super::database::{ensure_migrated, open};
use super::{domain_config, operator_error};
use crate::config::Settings;
use crate::domain;

/// `concord retention run [--apply] [--as-of DAY]`: prints what is due (and erases it
/// with `--apply`).
pub(super) async fn retention_run(
    settings: &Settings,
    apply: bool,
    as_of: Option<chrono::NaiveDate>,
    clock_forward: bool,
) -> anyhow::Result<()> {
    let today = crate::timescales::deadlines::london_day(chrono::Utc::now());
    let as_of = as_of.unwrap_or(today);
    if apply && as_of > today && !clock_forward {
        anyhow::bail!(
            "--apply with --as-of {as_of}, after today ({today}), would erase records before \
             their retention day: run it without --apply to see what would go, or add \
             --clock-forward on a copy of the database"
        );
    }
    let policy = domain_config(settings)?.retention;
    let db = open(settings).await?;
    ensure_migrated(&db).await?;
    let report = if apply {
        let applied = domain::retention::run::apply(&db, &policy, as_of)
            .await
            .map_err(operator_error)
            .context("applying the retention schedule")?;
        domain::retention::run::report(&applied.due, as_of, Some(&applied))
    } else {
        let due = domain::retention::run::due(&db, &policy, as_of)
            .await
            .map_err(operator_error)
            .context("listing what the retention schedule makes due")?;
        domain::retention::run::report(&due, as_of, None)
    };
    print!("{report}");
    Ok(())
}

/// Runs the retention schedule every `hours` (when set) for the life of the process,
/// as `concord retention run --apply` would on each run's day, logging what it erased.
pub(super) fn start_retention(
    db: &sea_orm::DatabaseConnection,
    policy: crate::timescales::policy_file::RetentionPolicy,
    hours: Option<u64>,
) {
    let Some(hours) = hours else {
        return;
    };
    let db = db.clone();
    tokio::spawn(async move {
        let mut interval =
            tokio::time::interval(std::time::Duration::from_secs(hours.saturating_mul(3600)));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let as_of = crate::timescales::deadlines::london_day(chrono::Utc::now());
            match domain::retention::run::apply(&db, &policy, as_of).await {
                Ok(applied) => tracing::info!(
                    %as_of,
                    erased = applied.erased.len(),
                    held = applied.due.held.len(),
                    audit_rows_pruned = applied.audit_rows_pruned,
                    erased_children = ?applied
                        .erased
                        .iter()
                        .map(|c| c.child_id.to_string())
                        .collect::<Vec<_>>(),
                    "retention run"
                ),
                Err(error) => {
                    tracing::warn!(?error, "retention run failed; retrying next interval")
                }
            }
        }
    });
}

/// The options of `concord audit verify`.
#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Exit 1 when the oldest audit row not yet sealed is older than this many seconds
    /// (sealing has stopped or fallen behind); without it, the age is only reported.
    #[arg(long, value_name = "SECONDS")]
    pub max_unsealed_age: Option<u64>,
}

/// `concord audit verify`: prints what it verified and how far sealing is behind; exits
/// 1 at the first break, or when the oldest unsealed row is older than
/// `--max-unsealed-age`.
pub(super) async fn audit_verify(settings: &Settings, args: VerifyArgs) -> anyhow::Result<()> {
    let db = open(settings).await?;
    ensure_migrated(&db).await?;
    let outcome = domain::audit_chain::verify(&db)
        .await
        .map_err(operator_error)
        .context("verifying the audit chain")?;
    let age = domain::audit_chain::unsealed_age(&outcome, chrono::Utc::now());
    match &outcome.first_break {
        Some(broken) => {
            println!(
                "audit chain broken at seq {} (audit event {}): {}",
                broken.seq,
                broken.audit_id,
                broken.kind.describe()
            );
            println!(
                "{} rows verified before it; {} rows not yet sealed",
                outcome.verified, outcome.unsealed
            );
        }
        None => {
            println!(
                "audit chain verified: {} rows verified; {} rows not yet sealed",
                outcome.verified, outcome.unsealed
            );
            println!(
                "chain head: seq {} hash {}",
                outcome.head.seq, outcome.head.hash
            );
        }
    }
    if let (Some(at), Some(age)) = (outcome.oldest_unsealed, age) {
        println!(
            "oldest unsealed row: occurred {} ({age} seconds ago)",
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
    }
    let too_old = match (args.max_unsealed_age, age) {
        (Some(max), Some(age)) if age > max => {
            println!(
                "unsealed rows too old: the oldest is {age} seconds old, more than \
                 --max-unsealed-age {max}: is the sealer running (`serve` with \
                 CONCORD_AUDIT_SEAL_SECONDS above 0)?"
            );
            true
        }
        _ => false,
    };
    if outcome.first_break.is_some() || too_old {
        std::process::exit(1);
    }
    Ok(())
}

/// Runs the audit sealer every `seconds` (0: never) for the life of the process.
pub(super) fn start_sealer(db: &sea_orm::DatabaseConnection, seconds: u64) {
    if seconds == 0 {
        return;
    }
    let db = db.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(seconds));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut sealer = domain::audit_chain::Sealer::default();
        loop {
            every.tick().await;
            match sealer.seal(&db).await {
                Ok(0) => {}
                Ok(sealed) => tracing::debug!(sealed, "audit rows sealed"),
                Err(error) => tracing::warn!(?error, "audit sealer failed; retrying later"),
            }
        }
    });
}
