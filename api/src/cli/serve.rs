//! `concord serve`: the rules' configuration, start-up in development or production mode,
//! the background work, and the development tokens printed once the listener is bound.

use std::net::SocketAddr;

use anyhow::{Context as _, bail};
use migration::MigratorTrait as _;
use secrecy::SecretString;

use super::database::{ensure_migrated, open, open_pools, open_with_demo};
use super::lifecycle::{start_retention, start_sealer};
use super::operator_error;
use crate::app::{Application, ServerConfig, ServerOptions};
use crate::auth::{self, TokenVerifier};
use crate::config::{DEV_AUDIENCE, DEV_ISSUER, Mode, Settings};
use crate::demo;
use crate::domain::{DomainConfig, Timescales};
use crate::timescales::policy_file::Policy;

/// The rules' configuration: the timescales policy (shipped defaults, or
/// `CONCORD_POLICY_FILE`, whose errors stop start-up naming the line and field) and the
/// designated agencies (flags first, then the policy file).
pub fn domain_config(settings: &Settings) -> anyhow::Result<DomainConfig> {
    let policy = match &settings.policy_file {
        Some(path) => Policy::from_file(path).map_err(|error| anyhow::anyhow!("{error}"))?,
        None => Policy::default_policy(),
    };
    Ok(DomainConfig {
        designated_social_care: settings
            .designated_social_care
            .clone()
            .or(policy.designated_social_care.clone()),
        designated_police: settings
            .designated_police
            .clone()
            .or(policy.designated_police.clone()),
        timescales: std::sync::Arc::new(Timescales::from_policy(&policy)),
        frameworks: crate::domain::Frameworks::from_policy(&policy),
        retention: policy.retention,
    })
}

/// `concord serve` (and `concord` with no command): migrates or checks the database,
/// starts the sealer and the retention schedule, and serves until stopped.
pub(super) async fn serve(settings: Settings) -> anyhow::Result<()> {
    // Kept to the end, so that the spans still buffered are sent on the way out.
    let _telemetry = crate::telemetry::init(settings.log_format());
    let mode = settings.mode();
    let mut domain = domain_config(&settings)?;
    // The development tokens are printed once the listener is bound, not before a failure.
    let mut welcome = None;
    let (verifier, db) = match mode {
        Mode::Development => {
            if !settings.listen.ip().is_loopback() {
                bail!(
                    "development mode listens on loopback addresses only (got {}); configure the JWT \
                     settings for production",
                    settings.listen
                );
            }
            let (db, seeded) = open_with_demo(&settings).await?;
            if seeded {
                tracing::info!("demo partnership seeded");
            }
            domain
                .designated_social_care
                .get_or_insert_with(|| demo::DESIGNATED_SOCIAL_CARE.into());
            domain
                .designated_police
                .get_or_insert_with(|| demo::DESIGNATED_POLICE.into());
            let secret =
                auth::dev_secret(&settings.data_dir).context("reading the development secret")?;
            let verifier = TokenVerifier::hs256(&secret, DEV_ISSUER, DEV_AUDIENCE);
            welcome = Some(secret);
            (verifier, db)
        }
        Mode::Production => {
            if settings.database_url.is_none() {
                bail!("CONCORD_DATABASE_URL is required in production mode");
            }
            let verifier =
                TokenVerifier::from_settings(&settings).context("token verification settings")?;
            let db = open(&settings).await?;
            if settings.migrate {
                migration::Migrator::up(&db, None)
                    .await
                    .context("applying migrations")?;
            } else {
                ensure_migrated(&db).await?;
            }
            (verifier, db)
        }
    };
    // Stored deadlines derived under other rules (or by rows written straight into the
    // database) are derived again before the first request.
    crate::domain::deadlines::stored::ensure_current(&db, &domain)
        .await
        .map_err(operator_error)
        .context("deriving the stored deadlines")?;
    start_sealer(&db, settings.audit_seal_seconds);
    start_retention(&db, domain.retention, settings.retention_interval_hours);
    let options = ServerOptions::from_settings(&settings);
    let pools = open_pools(&settings).await?;
    let app = Application::build_with_pools(
        ServerConfig {
            db,
            verifier,
            mode,
            listen: settings.listen,
            workers: settings.workers,
            shutdown_timeout: settings.shutdown_timeout,
            handle_signals: true,
            domain,
            ws_init_timeout: std::time::Duration::from_secs(settings.ws_init_timeout),
        },
        options,
        pools,
    )
    .await
    .with_context(|| {
        format!(
            "cannot listen on {}: another process may be using it; stop it, or choose another \
             address with --listen (CONCORD_LISTEN)",
            settings.listen
        )
    })?;
    if let Some(secret) = welcome {
        print_welcome(&app.addr(), &secret)?;
    }
    tracing::info!(addr = %app.addr(), ?mode, "concord listening");
    app.run_until_stopped().await.context("serving")?;
    tracing::info!("concord stopped");
    Ok(())
}

fn print_welcome(listen: &SocketAddr, secret: &SecretString) -> anyhow::Result<()> {
    println!();
    println!("Concord local development mode (synthetic demo data only)");
    println!("GraphiQL: http://{listen}/graphiql");
    println!(
        "Paste one of these into GraphiQL's Headers pane as {{\"Authorization\": \"Bearer <token>\"}}:"
    );
    for actor in &demo::ACTORS {
        let claims = auth::dev_claims(actor.sub, actor.name, actor.agency, &[actor.role], 12);
        println!();
        println!(
            "  {} at {} ({}):",
            actor.role.name(),
            actor.agency,
            actor.name
        );
        println!("  {}", auth::sign_hs256(secret, &claims)?);
    }
    println!();
    Ok(())
}
