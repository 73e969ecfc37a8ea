//! Opening the database at start-up: a pool that gives up within seconds, errors that name
//! the host and port (or the SQLite file) and never the password, and the migration check.

use anyhow::{Context as _, bail};
use migration::MigratorTrait as _;

use crate::app::{Pools, connect_pool};
use crate::config::Settings;

pub(super) async fn open(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating {}", settings.data_dir.display()))?;
    }
    let url = settings.database_url();
    open_url(&url, settings.db_max_connections)
        .await
        .context("connecting to the database")
}

/// Opens the database, applies the migrations and seeds the demo partnership if it is not
/// there yet (development `serve` and `seed-demo`); says whether it seeded.
pub(super) async fn open_with_demo(
    settings: &Settings,
) -> anyhow::Result<(sea_orm::DatabaseConnection, bool)> {
    let db = open(settings).await?;
    migration::Migrator::up(&db, None)
        .await
        .context("applying migrations")?;
    let seeded = crate::demo::seed(&db)
        .await
        .context("seeding the demo partnership")?;
    Ok((db, seeded))
}

/// How long start-up waits for the database before it gives up.
const CONNECT_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// Opens a pool of `max_connections` on `url`, giving up after [`CONNECT_WITHIN`]; an error
/// names the database's host and port (or file), never its password.
pub(super) async fn open_url(
    url: &str,
    max_connections: u32,
) -> anyhow::Result<sea_orm::DatabaseConnection> {
    check_sqlite_file(url)?;
    let location = database_location(url);
    match tokio::time::timeout(CONNECT_WITHIN, connect_pool(url, max_connections)).await {
        Ok(Ok(db)) => Ok(db),
        // Some connection errors quote the URL, password included.
        Ok(Err(error)) => Err(anyhow::anyhow!(redact_password(url, &error.to_string())))
            .with_context(|| format!("cannot open the database at {location}")),
        Err(_elapsed) => bail!(
            "the database at {location} did not answer within {} s: is it running, and can \
             this machine reach it? Check the host and port in CONCORD_DATABASE_URL",
            CONNECT_WITHIN.as_secs()
        ),
    }
}

/// Where a database URL points, for messages: `host:port` of a server, the file of
/// SQLite; never the user or the password.
pub(super) fn database_location(url: &str) -> String {
    if let Some(file) = sqlite_file(url) {
        return file.to_owned();
    }
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host_port.is_empty() {
        "localhost:5432".to_owned()
    } else if host_port.contains(':') && !host_port.ends_with(']') {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    }
}

/// The file of a `sqlite:` URL, unless it is in memory.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let file = rest.split('?').next().unwrap_or_default();
    (!file.is_empty() && file != ":memory:").then_some(file)
}

/// Refuses a SQLite URL naming a file that does not exist, unless the URL asks for it to
/// be created (`mode=rwc`): SQLite's own error says only "unable to open database file".
fn check_sqlite_file(url: &str) -> anyhow::Result<()> {
    let Some(file) = sqlite_file(url) else {
        return Ok(());
    };
    let creates = url.split_once('?').is_some_and(|(_, query)| {
        query
            .split('&')
            .any(|pair| pair == "mode=rwc" || pair == "mode=memory")
    });
    if !creates && !std::path::Path::new(file).exists() {
        bail!(
            "the SQLite database file {} does not exist; to create it, add ?mode=rwc to the URL \
             (sqlite://{file}?mode=rwc), or check the path",
            super::absolute(std::path::Path::new(file)).display()
        );
    }
    Ok(())
}

/// The subscription pool, and the read-replica pool when one is configured.
pub(super) async fn open_pools(settings: &Settings) -> anyhow::Result<Pools> {
    let subscriptions = open_url(
        &settings.database_url(),
        settings.db_subscription_connections,
    )
    .await
    .context("connecting the subscription pool to the database")?;
    let read = match &settings.read_database_url {
        Some(url) => Some(
            open_url(url, settings.db_max_connections)
                .await
                .context("connecting to the read database")?,
        ),
        None => None,
    };
    Ok(Pools {
        subscriptions: Some(subscriptions),
        read,
    })
}

/// `message` with any password of the database `url` replaced by `***`: the one in the
/// URL's user information and any `password=` query parameter.
fn redact_password(url: &str, message: &str) -> String {
    let mut passwords = Vec::new();
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    if let Some((user_info, _)) = authority.rsplit_once('@')
        && let Some((_, password)) = user_info.split_once(':')
    {
        passwords.push(password);
    }
    if let Some((_, query)) = url.split_once('?') {
        for pair in query.split('&') {
            if let Some((key, value)) = pair.split_once('=')
                && key.eq_ignore_ascii_case("password")
            {
                passwords.push(value);
            }
        }
    }
    let mut redacted = message.to_owned();
    for password in passwords.into_iter().filter(|p| !p.is_empty()) {
        redacted = redacted.replace(password, "***");
    }
    redacted
}

/// Refuses to serve a database with pending migrations: every request would fail.
pub(super) async fn ensure_migrated(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    // The read-only check: `serve` may run as a database user without DDL rights.
    let pending = migration::Migrator::get_pending_migrations_read_only(db)
        .await
        .context("reading the migration state")?;
    if !pending.is_empty() {
        let names: Vec<&str> = pending.iter().map(|m| m.name()).collect();
        bail!(
            "the database has {} pending migration(s) ({}); run `concord migrate` first, or \
             start with `concord serve --migrate` (CONCORD_MIGRATE=true)",
            pending.len(),
            names.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_the_password_of_the_url_and_of_its_query() {
        let url = "postgres://concord:s3cr%21t@db.internal:5432/concord?sslmode=require&password=other-pw";
        let message = format!("The connection string '{url}' has no supporting driver.");
        let redacted = redact_password(url, &message);
        assert!(!redacted.contains("s3cr%21t"), "{redacted}");
        assert!(!redacted.contains("other-pw"), "{redacted}");
        assert!(
            redacted.contains("postgres://concord:***@db.internal:5432/concord"),
            "{redacted}"
        );
        let plain = "sqlite://data/concord.db?mode=rwc";
        assert_eq!(redact_password(plain, "unable to open"), "unable to open");
    }

    /// A checkout must not cost a round trip of its own: the pool tests a connection only
    /// once it has been idle (`app::TEST_CONNECTION_IDLE_FOR`).
    #[tokio::test]
    async fn the_pool_tests_only_connections_that_have_been_idle() {
        let db = open_url("sqlite::memory:", 2)
            .await
            .expect("in-memory database");
        let options = db.get_sqlite_connection_pool().options();
        assert!(!options.get_test_before_acquire());
        assert_eq!(options.get_max_connections(), 2);
    }

    #[test]
    fn a_database_is_named_by_host_and_port_or_file_never_by_its_password() {
        assert_eq!(
            database_location("postgres://concord:pw@db.internal:6543/concord?sslmode=require"),
            "db.internal:6543"
        );
        assert_eq!(
            database_location("postgres://concord:pw@db.internal/concord"),
            "db.internal:5432"
        );
        assert_eq!(database_location("postgres:///concord"), "localhost:5432");
        assert_eq!(database_location("postgres://u@[::1]/c"), "[::1]:5432");
        assert_eq!(
            database_location("sqlite://data/concord.db?mode=rwc"),
            "data/concord.db"
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert!(check_sqlite_file("sqlite://definitely/not/here.db?mode=rwc").is_ok());
        assert!(check_sqlite_file("sqlite://definitely/not/here.db").is_err());
    }
}
