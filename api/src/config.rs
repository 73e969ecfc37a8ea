//! Settings, from flags and `CONCORD_*` environment variables (`docs/operating.md`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use secrecy::SecretString;

/// Every setting of the service. Each flag has an environment variable.
#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// Database URL (`sqlite://…` or `postgres://…`). Defaults to `<data-dir>/concord.db` in
    /// local development mode; required in production.
    #[arg(long, env = "CONCORD_DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Read-replica URL (`postgres://…`), optional: the strategic report (and, later,
    /// dashboards and exports) read from it; everything that decides access or writes
    /// uses `--database-url`. Without it everything uses the primary.
    #[arg(
        long,
        env = "CONCORD_READ_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub read_database_url: Option<String>,

    /// Connections in the request pool (GraphQL requests and WebSocket queries and
    /// mutations); the read-replica pool, when configured, has as many (at least 1).
    #[arg(long, env = "CONCORD_DB_MAX_CONNECTIONS",
          default_value_t = defaults::DB_MAX_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub db_max_connections: u32,

    /// Connections in the subscription pool: the outbox relay, reach loads and replays
    /// (at least 1). PostgreSQL's `LISTEN` takes one more connection of its own.
    #[arg(long, env = "CONCORD_DB_SUBSCRIPTION_CONNECTIONS",
          default_value_t = defaults::DB_SUBSCRIPTION_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub db_subscription_connections: u32,

    /// Folder for the development database and the development signing secret.
    #[arg(long, env = "CONCORD_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Address to listen on. Development mode accepts loopback addresses only.
    #[arg(
        long,
        env = "CONCORD_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    /// HS256 shared secret for verifying tokens. Setting any JWT key selects production mode.
    #[arg(long, env = "CONCORD_JWT_SECRET", global = true, hide_env_values = true,
          value_parser = parse_secret)]
    pub jwt_secret: Option<SecretString>,

    /// PEM public key file for RS256 or ES256 tokens.
    #[arg(long, env = "CONCORD_JWT_PUBLIC_KEY_FILE", global = true)]
    pub jwt_public_key_file: Option<PathBuf>,

    /// JWKS file (JSON key set) for RS256 or ES256 tokens; the key is chosen by `kid`.
    #[arg(long, env = "CONCORD_JWKS_FILE", global = true)]
    pub jwks_file: Option<PathBuf>,

    /// The one algorithm tokens may use. Defaults to HS256 with a secret, RS256 with a key.
    #[arg(long, env = "CONCORD_JWT_ALGORITHM", value_enum, global = true)]
    pub jwt_algorithm: Option<JwtAlgorithm>,

    /// Required `iss` of every token (production mode).
    #[arg(long, env = "CONCORD_JWT_ISSUER", global = true)]
    pub jwt_issuer: Option<String>,

    /// Required `aud` of every token (production mode).
    #[arg(long, env = "CONCORD_JWT_AUDIENCE", global = true)]
    pub jwt_audience: Option<String>,

    /// Timescales policy file (TOML).
    #[arg(long, env = "CONCORD_POLICY_FILE", global = true)]
    pub policy_file: Option<PathBuf>,

    /// Code of the children's social care agency told of every escalated case and leading
    /// new referrals.
    #[arg(long, env = "CONCORD_DESIGNATED_SOCIAL_CARE", global = true)]
    pub designated_social_care: Option<String>,

    /// Code of the police agency told of every escalated case.
    #[arg(long, env = "CONCORD_DESIGNATED_POLICE", global = true)]
    pub designated_police: Option<String>,

    /// Apply pending migrations when `serve` starts (always on in development mode).
    #[arg(long, env = "CONCORD_MIGRATE", global = true)]
    pub migrate: bool,

    /// Log format: `pretty` for people, `json` for log collectors. Defaults by mode.
    #[arg(long, env = "CONCORD_LOG_FORMAT", value_enum, global = true)]
    pub log_format: Option<LogFormat>,

    /// Bearer token that `/metrics` requires (at least 32 characters). Without it `/metrics`
    /// is open in development mode (which listens on loopback only) and off (404) in
    /// production.
    #[arg(long, env = "CONCORD_METRICS_TOKEN", global = true, hide_env_values = true,
          value_parser = parse_metrics_token)]
    pub metrics_token: Option<SecretString>,

    /// HTTP worker threads (defaults to the number of cores).
    #[arg(long, env = "CONCORD_WORKERS", global = true)]
    pub workers: Option<usize>,

    /// Seconds a WebSocket client has to send `connection_init` before the socket is
    /// closed with 4408 (at least 1).
    #[arg(
        long,
        env = "CONCORD_WS_INIT_TIMEOUT",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub ws_init_timeout: u64,

    /// Seconds between the server's keep-alive messages on an acknowledged WebSocket
    /// (`ping` in graphql-transport-ws, `ka` in the legacy graphql-ws); 0 sends none.
    #[arg(
        long,
        env = "CONCORD_WS_KEEPALIVE",
        default_value_t = 30,
        global = true
    )]
    pub ws_keepalive: u64,

    /// Seconds that in-flight requests get to finish after SIGTERM or ctrl-c.
    #[arg(
        long,
        env = "CONCORD_SHUTDOWN_TIMEOUT",
        default_value_t = 30,
        global = true
    )]
    pub shutdown_timeout: u64,

    /// Requests per minute one token subject may make (HTTP requests and WebSocket
    /// operations, refused ones included); 0 switches the limit off.
    #[arg(long, env = "CONCORD_RATE_LIMIT_PER_SUBJECT",
          default_value_t = defaults::RATE_LIMIT_PER_SUBJECT, global = true)]
    pub rate_limit_per_subject: u32,

    /// Requests one token subject may make at once before the per-minute rate applies.
    #[arg(long, env = "CONCORD_RATE_LIMIT_PER_SUBJECT_BURST",
          default_value_t = defaults::RATE_LIMIT_PER_SUBJECT_BURST,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub rate_limit_per_subject_burst: u32,

    /// Requests per minute one client address (an IPv6 /64) may make, counted before
    /// authentication; 0 switches the limit off (do so behind a proxy that hides clients).
    #[arg(long, env = "CONCORD_RATE_LIMIT_PER_ADDRESS",
          default_value_t = defaults::RATE_LIMIT_PER_ADDRESS, global = true)]
    pub rate_limit_per_address: u32,

    /// Requests one client address may make at once before the per-minute rate applies.
    #[arg(long, env = "CONCORD_RATE_LIMIT_PER_ADDRESS_BURST",
          default_value_t = defaults::RATE_LIMIT_PER_ADDRESS_BURST,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub rate_limit_per_address_burst: u32,

    /// Seconds a client has to send the headers of its first request on a connection
    /// before it is answered 408 and closed (at least 1).
    #[arg(long, env = "CONCORD_REQUEST_HEADER_TIMEOUT",
          default_value_t = defaults::REQUEST_HEADER_TIMEOUT,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub request_header_timeout: u64,

    /// Seconds a client has to send the body of a `POST /graphql` once its headers are
    /// in, before it is answered 408 and closed (at least 1).
    #[arg(long, env = "CONCORD_REQUEST_BODY_TIMEOUT",
          default_value_t = defaults::REQUEST_BODY_TIMEOUT,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub request_body_timeout: u64,

    /// Seconds an idle HTTP connection is kept open for a next request; 0 closes each
    /// connection after its response.
    #[arg(long, env = "CONCORD_KEEP_ALIVE",
          default_value_t = defaults::KEEP_ALIVE, global = true)]
    pub keep_alive: u64,

    /// Seconds a client gets to read the end of a response on a closing connection
    /// before the connection is dropped (at least 1).
    #[arg(long, env = "CONCORD_CLIENT_DISCONNECT_TIMEOUT",
          default_value_t = defaults::CLIENT_DISCONNECT_TIMEOUT,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub client_disconnect_timeout: u64,

    /// Open connections (WebSockets included) the server holds at once, shared equally
    /// among the workers; further clients wait until one closes. Keep it below the
    /// process's file-descriptor limit.
    #[arg(long, env = "CONCORD_MAX_CONNECTIONS",
          default_value_t = defaults::MAX_CONNECTIONS,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub max_connections: u64,

    /// Open connections one client address (an IPv6 /64) may keep; its further connections
    /// serve one request each and close, and may not open a WebSocket. 0 switches the cap
    /// off (do so behind a proxy that hides clients).
    #[arg(long, env = "CONCORD_MAX_CONNECTIONS_PER_ADDRESS",
          default_value_t = defaults::MAX_CONNECTIONS_PER_ADDRESS, global = true)]
    pub max_connections_per_address: u64,

    /// Seconds one GraphQL request (or one query or mutation over a WebSocket) may run
    /// before it is ended with `TIMEOUT` (at least 1).
    #[arg(long, env = "CONCORD_REQUEST_TIMEOUT",
          default_value_t = defaults::REQUEST_TIMEOUT,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub request_timeout: u64,

    /// Subscriptions one WebSocket may run at once (at least 1).
    #[arg(long, env = "CONCORD_MAX_SUBSCRIPTIONS_PER_CONNECTION",
          default_value_t = defaults::MAX_SUBSCRIPTIONS_PER_CONNECTION,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub max_subscriptions_per_connection: u64,

    /// Subscriptions one token subject may run at once over all its WebSockets to this
    /// process (at least 1).
    #[arg(long, env = "CONCORD_MAX_SUBSCRIPTIONS_PER_SUBJECT",
          default_value_t = defaults::MAX_SUBSCRIPTIONS_PER_SUBJECT,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub max_subscriptions_per_subject: u64,

    /// The highest cost of one query: 1 per field, list fields counted by their page size
    /// (`first`) or an assumed length (at least 1).
    #[arg(long, env = "CONCORD_MAX_QUERY_COST", default_value_t = defaults::MAX_QUERY_COST,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub max_query_cost: u64,

    /// The most aliases one document may use (at least 1).
    #[arg(long, env = "CONCORD_MAX_ALIASES", default_value_t = defaults::MAX_ALIASES,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub max_aliases: u64,

    /// The most fields one mutation may run (each a write; a field repeated without an
    /// alias counts each time; at least 1).
    #[arg(long, env = "CONCORD_MAX_MUTATIONS", default_value_t = defaults::MAX_MUTATIONS,
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub max_mutations: u64,

    /// The deepest selection one query may make (at least 2).
    #[arg(long, env = "CONCORD_MAX_QUERY_DEPTH", default_value_t = defaults::MAX_QUERY_DEPTH,
          value_parser = clap::value_parser!(u64).range(2..), global = true)]
    pub max_query_depth: u64,

    /// Origins (comma-separated, `scheme://host[:port]`) whose browser pages may call
    /// Concord: CORS for HTTP, and the `Origin` check of WebSocket upgrades. None by default;
    /// development mode also allows the usual local dev servers (ports 3000, 5173 and 8080
    /// on localhost and 127.0.0.1). Concord's own GraphiQL needs no entry.
    #[arg(long, env = "CONCORD_CORS_ORIGINS", value_delimiter = ',',
          value_parser = crate::http::cors::parse_origin, global = true)]
    pub cors_origins: Vec<String>,

    /// Whether introspection (`__schema`, `__type`) is answered: `--introspection false`
    /// refuses it for everyone. Production answers only callers with a valid token anyway.
    #[arg(long, env = "CONCORD_INTROSPECTION", default_value_t = true,
          action = clap::ArgAction::Set, global = true)]
    pub introspection: bool,

    /// Seconds between runs of the audit sealer, which chains new audit rows in the
    /// background (`concord audit verify` checks the chain); 0 disables it.
    #[arg(long, env = "CONCORD_AUDIT_SEAL_SECONDS",
          default_value_t = defaults::AUDIT_SEAL_SECONDS, global = true)]
    pub audit_seal_seconds: u64,

    /// Hours between retention runs inside `serve` (the same erasure as `concord
    /// retention run --apply`, as of each run's day, logging what it erased). Off unless set.
    #[arg(long, env = "CONCORD_RETENTION_INTERVAL_HOURS",
          value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub retention_interval_hours: Option<u64>,
}

/// The defaults of the settings that protect callers from each other, shared by the
/// command line and [`crate::app::ServerOptions::default`].
pub mod defaults {
    /// Connections in the request pool: a few per core keeps two cores busy while some
    /// requests wait on the database, without queueing work inside PostgreSQL.
    pub const DB_MAX_CONNECTIONS: u32 = 10;
    /// Connections in the subscription pool: the relay reads one batch at a time.
    pub const DB_SUBSCRIPTION_CONNECTIONS: u32 = 3;
    /// The highest query cost.
    pub const MAX_QUERY_COST: u64 = 50_000;
    /// The most aliases in one document.
    pub const MAX_ALIASES: u64 = 30;
    /// The most fields at the root of one mutation.
    pub const MAX_MUTATIONS: u64 = 10;
    /// The deepest selection.
    pub const MAX_QUERY_DEPTH: u64 = 16;
    /// Requests per minute per token subject.
    pub const RATE_LIMIT_PER_SUBJECT: u32 = 600;
    /// Requests at once per token subject.
    pub const RATE_LIMIT_PER_SUBJECT_BURST: u32 = 100;
    /// Requests per minute per client address.
    pub const RATE_LIMIT_PER_ADDRESS: u32 = 1200;
    /// Requests at once per client address.
    pub const RATE_LIMIT_PER_ADDRESS_BURST: u32 = 200;
    /// Seconds to send a request's headers.
    pub const REQUEST_HEADER_TIMEOUT: u64 = 5;
    /// Seconds to send a request's body.
    pub const REQUEST_BODY_TIMEOUT: u64 = 10;
    /// Seconds an idle connection is kept.
    pub const KEEP_ALIVE: u64 = 5;
    /// Seconds to read the end of a response on a closing connection.
    pub const CLIENT_DISCONNECT_TIMEOUT: u64 = 1;
    /// Open connections in all.
    pub const MAX_CONNECTIONS: u64 = 10_000;
    /// Open connections per client address.
    pub const MAX_CONNECTIONS_PER_ADDRESS: u64 = 256;
    /// Seconds one request may run.
    pub const REQUEST_TIMEOUT: u64 = 30;
    /// Subscriptions per WebSocket.
    pub const MAX_SUBSCRIPTIONS_PER_CONNECTION: u64 = 20;
    /// Subscriptions per token subject.
    pub const MAX_SUBSCRIPTIONS_PER_SUBJECT: u64 = 100;
    /// Seconds between runs of the audit sealer.
    pub const AUDIT_SEAL_SECONDS: u64 = 10;
}

fn parse_secret(value: &str) -> Result<SecretString, String> {
    if value.len() < 32 {
        return Err("the JWT secret must be at least 32 characters".into());
    }
    Ok(SecretString::from(value.to_owned()))
}

fn parse_metrics_token(value: &str) -> Result<SecretString, String> {
    if value.len() < 32 {
        return Err("the metrics token must be at least 32 characters".into());
    }
    Ok(SecretString::from(value.to_owned()))
}

/// Token signature algorithms Concord accepts, one at a time.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum JwtAlgorithm {
    /// HMAC with SHA-256 and a shared secret.
    #[value(name = "HS256")]
    Hs256,
    /// RSA PKCS#1 v1.5 with SHA-256.
    #[value(name = "RS256")]
    Rs256,
    /// ECDSA P-256 with SHA-256.
    #[value(name = "ES256")]
    Es256,
}

impl From<JwtAlgorithm> for jsonwebtoken::Algorithm {
    fn from(value: JwtAlgorithm) -> Self {
        match value {
            JwtAlgorithm::Hs256 => Self::HS256,
            JwtAlgorithm::Rs256 => Self::RS256,
            JwtAlgorithm::Es256 => Self::ES256,
        }
    }
}

/// How log lines are written.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Readable lines for a terminal.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// Local development (no JWT key configured) or production.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// SQLite in the data folder, demo data, a local signing secret, loopback only.
    Development,
    /// Configured database and token verification, nothing seeded.
    Production,
}

/// Issuer and audience of development tokens.
pub const DEV_ISSUER: &str = "concord-dev";
/// Audience of development tokens.
pub const DEV_AUDIENCE: &str = "concord-dev";

impl Settings {
    /// Production as soon as any token key is configured.
    pub fn mode(&self) -> Mode {
        if self.jwt_secret.is_some()
            || self.jwt_public_key_file.is_some()
            || self.jwks_file.is_some()
        {
            Mode::Production
        } else {
            Mode::Development
        }
    }

    /// The database to use: the configured one, or the development file.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("concord.db").display()
            ),
        }
    }

    /// The WebSocket keep-alive interval; `None` when switched off with 0.
    pub fn ws_keepalive(&self) -> Option<std::time::Duration> {
        (self.ws_keepalive > 0).then(|| std::time::Duration::from_secs(self.ws_keepalive))
    }

    /// The log format, defaulting to JSON in production.
    pub fn log_format(&self) -> LogFormat {
        self.log_format.unwrap_or(match self.mode() {
            Mode::Development => LogFormat::Pretty,
            Mode::Production => LogFormat::Json,
        })
    }
}
