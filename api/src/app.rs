//! Building and running the server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::http::KeepAlive;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::auth::TokenVerifier;
use crate::config::{Mode, Settings, defaults};
use crate::domain::DomainConfig;
use crate::events::Relay;
use crate::graphql::build_schema_with_read;
use crate::graphql::introspection::SchemaOptions;
use crate::graphql::limits::Limits;
use crate::http::cors::AllowedOrigins;
use crate::http::metrics::{self, MetricsAccess, MetricsState};
use crate::http::throttle::{self, Rate, RateLimits, Slots, SubscriptionSlots};
use crate::http::{AppState, logging, routes, ws::WsConfig};
use crate::metrics::Sources;

/// What the server needs, already prepared by the caller (CLI or tests).
pub struct ServerConfig {
    /// An open database with migrations applied.
    pub db: DatabaseConnection,
    /// How tokens are verified.
    pub verifier: TokenVerifier,
    /// Development or production.
    pub mode: Mode,
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Worker threads; `None` for one per core.
    pub workers: Option<usize>,
    /// Seconds in-flight requests get to finish on shutdown.
    pub shutdown_timeout: u64,
    /// Whether the server handles SIGTERM and ctrl-c itself (off when embedded in tests).
    pub handle_signals: bool,
    /// What the rules need (designated agencies).
    pub domain: DomainConfig,
    /// How long a WebSocket client has to send `connection_init`.
    pub ws_init_timeout: Duration,
}

/// Settings with defaults that [`ServerConfig`] does not carry, so that code building a
/// `ServerConfig` by name keeps compiling as they are added. The default is the command
/// line's (`config::defaults`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerOptions {
    /// Interval of the server's keep-alive on acknowledged WebSocket connections
    /// (`graphql-transport-ws` `ping`, legacy `ka`); `None` sends none.
    pub ws_keepalive: Option<Duration>,
    /// Requests per token subject (HTTP requests and WebSocket operations).
    pub rate_per_subject: Rate,
    /// Requests per client address (IPv6: per /64), before authentication.
    pub rate_per_address: Rate,
    /// Time to send the headers of a connection's first request.
    pub header_timeout: Duration,
    /// Time to send a `POST /graphql` body once its headers are in.
    pub body_timeout: Duration,
    /// How long an idle connection is kept for a next request; `None` closes it after
    /// each response.
    pub keep_alive: Option<Duration>,
    /// Time a client gets to read the end of a response on a closing connection.
    pub disconnect_timeout: Duration,
    /// Open connections in all, shared equally among the workers.
    pub max_connections: usize,
    /// Open connections one client address may keep (see `throttle`); 0 for no cap.
    pub max_connections_per_address: usize,
    /// How long one GraphQL request (or WebSocket query or mutation) may run.
    pub request_timeout: Duration,
    /// Subscriptions one socket may run at once.
    pub max_subscriptions_per_connection: usize,
    /// Subscriptions one subject may run at once over every socket of this process.
    pub max_subscriptions_per_subject: usize,
    /// Whether introspection is answered at all.
    pub introspection: bool,
    /// What one request may ask for: cost, aliases, depth.
    pub limits: Limits,
    /// Origins whose browser pages may call the server, besides those development mode
    /// allows (see `http::cors`).
    pub cors_origins: Vec<String>,
    /// Who may read `/metrics`.
    pub metrics: MetricsAccess,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            ws_keepalive: None,
            rate_per_subject: Rate {
                per_minute: defaults::RATE_LIMIT_PER_SUBJECT,
                burst: defaults::RATE_LIMIT_PER_SUBJECT_BURST,
            },
            rate_per_address: Rate {
                per_minute: defaults::RATE_LIMIT_PER_ADDRESS,
                burst: defaults::RATE_LIMIT_PER_ADDRESS_BURST,
            },
            header_timeout: Duration::from_secs(defaults::REQUEST_HEADER_TIMEOUT),
            body_timeout: Duration::from_secs(defaults::REQUEST_BODY_TIMEOUT),
            keep_alive: Some(Duration::from_secs(defaults::KEEP_ALIVE)),
            disconnect_timeout: Duration::from_secs(defaults::CLIENT_DISCONNECT_TIMEOUT),
            max_connections: to_usize(defaults::MAX_CONNECTIONS),
            max_connections_per_address: to_usize(defaults::MAX_CONNECTIONS_PER_ADDRESS),
            request_timeout: Duration::from_secs(defaults::REQUEST_TIMEOUT),
            max_subscriptions_per_connection: to_usize(defaults::MAX_SUBSCRIPTIONS_PER_CONNECTION),
            max_subscriptions_per_subject: to_usize(defaults::MAX_SUBSCRIPTIONS_PER_SUBJECT),
            introspection: true,
            limits: Limits::default(),
            cors_origins: Vec::new(),
            metrics: MetricsAccess::Open,
        }
    }
}

fn to_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

impl ServerOptions {
    /// The options the settings give.
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            ws_keepalive: settings.ws_keepalive(),
            rate_per_subject: Rate {
                per_minute: settings.rate_limit_per_subject,
                burst: settings.rate_limit_per_subject_burst,
            },
            rate_per_address: Rate {
                per_minute: settings.rate_limit_per_address,
                burst: settings.rate_limit_per_address_burst,
            },
            header_timeout: Duration::from_secs(settings.request_header_timeout),
            body_timeout: Duration::from_secs(settings.request_body_timeout),
            keep_alive: (settings.keep_alive > 0).then(|| Duration::from_secs(settings.keep_alive)),
            disconnect_timeout: Duration::from_secs(settings.client_disconnect_timeout),
            max_connections: to_usize(settings.max_connections),
            max_connections_per_address: to_usize(settings.max_connections_per_address),
            request_timeout: Duration::from_secs(settings.request_timeout),
            max_subscriptions_per_connection: to_usize(settings.max_subscriptions_per_connection),
            max_subscriptions_per_subject: to_usize(settings.max_subscriptions_per_subject),
            introspection: settings.introspection,
            limits: Limits {
                max_cost: to_usize(settings.max_query_cost),
                max_aliases: to_usize(settings.max_aliases),
                max_mutations: to_usize(settings.max_mutations),
                max_depth: to_usize(settings.max_query_depth),
            },
            cors_origins: settings.cors_origins.clone(),
            metrics: metrics_access(settings),
        }
    }
}

/// `/metrics` with a token when one is set; otherwise open in development mode (loopback
/// only) and off in production.
fn metrics_access(settings: &Settings) -> MetricsAccess {
    use secrecy::ExposeSecret as _;
    match (&settings.metrics_token, settings.mode()) {
        // Kept for the life of the process, as the settings are.
        (Some(token), _) => {
            MetricsAccess::Bearer(Box::leak(token.expose_secret().to_owned().into_boxed_str()))
        }
        (None, Mode::Development) => MetricsAccess::Open,
        (None, Mode::Production) => MetricsAccess::Off,
    }
}

/// The database pools besides the request pool of [`ServerConfig::db`], each optional.
#[derive(Clone, Debug, Default)]
pub struct Pools {
    /// The subscription pool: the outbox relay, reach loads and replays. The request
    /// pool when `None` (tests, embedding); `serve` always opens one of its own.
    pub subscriptions: Option<DatabaseConnection>,
    /// A read replica for the strategic report (dashboards and exports later); the
    /// primary when `None`.
    pub read: Option<DatabaseConnection>,
}

/// A bound, not yet running, server.
pub struct Application {
    addr: SocketAddr,
    server: Server,
}

impl Application {
    /// Binds the listener and builds the server with default [`ServerOptions`].
    pub async fn build(config: ServerConfig) -> std::io::Result<Self> {
        Self::build_with(config, ServerOptions::default()).await
    }

    /// Binds the listener and builds the server with the request pool for everything.
    pub async fn build_with(config: ServerConfig, options: ServerOptions) -> std::io::Result<Self> {
        Self::build_with_pools(config, options, Pools::default()).await
    }

    /// Binds the listener and builds the server; the schema is built once, here.
    pub async fn build_with_pools(
        config: ServerConfig,
        options: ServerOptions,
        pools: Pools,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(config.listen)?;
        let addr = listener.local_addr()?;
        let schema_options = SchemaOptions {
            // "Did you mean …" would let any caller map the schema by misspelling.
            suggestions: config.mode == Mode::Development,
            introspection: options.introspection,
            limits: options.limits,
        };
        let rate_limits = Arc::new(RateLimits::new(
            options.rate_per_subject,
            options.rate_per_address,
        ));
        RateLimits::start_sweeping(&rate_limits);
        // Installed before the first request is counted.
        crate::metrics::handle();
        let mut measured = vec![("request", config.db.clone())];
        if let Some(own) = &pools.subscriptions {
            measured.push(("subscriptions", own.clone()));
        }
        let subscription_pool = pools.subscriptions.unwrap_or_else(|| config.db.clone());
        let read_pool = pools.read;
        let relay = Relay::start(subscription_pool.clone()).await;
        if let Some(read) = &read_pool {
            measured.push(("read", read.clone()));
        }
        let metrics = web::Data::new(MetricsState {
            access: options.metrics,
            sources: Sources {
                relay: relay.clone(),
                outbox: subscription_pool,
                pools: measured,
            },
        });
        let state = Arc::new(AppState {
            schema: build_schema_with_read(
                config.db.clone(),
                read_pool.unwrap_or_else(|| config.db.clone()),
                config.domain,
                relay,
                schema_options,
            ),
            db: config.db,
            verifier: config.verifier,
            mode: config.mode,
            ws: WsConfig {
                init_timeout: config.ws_init_timeout,
                keepalive: options.ws_keepalive,
                operation_timeout: Some(options.request_timeout),
                write_stall: crate::http::ws::WRITE_STALL,
            },
            rate_limits,
            subscription_slots: SubscriptionSlots::new(options.max_subscriptions_per_subject),
            max_subscriptions_per_connection: options.max_subscriptions_per_connection,
            body_timeout: options.body_timeout,
            request_timeout: options.request_timeout,
            cors: AllowedOrigins::new(&options.cors_origins, config.mode),
        });
        let cors = state.cors.clone();
        let data = web::Data::new(state);
        let workers = config.workers.filter(|n| *n > 0).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
        });
        // actix-web counts connections per worker; the setting is for the whole server.
        let per_worker = options.max_connections.div_ceil(workers).max(1);
        let keep_alive = options
            .keep_alive
            .map_or(KeepAlive::Disabled, KeepAlive::Timeout);
        let mut server = HttpServer::new(move || {
            App::new()
                // Inside the logger, so that a refused request is logged with its id too.
                .wrap(from_fn(throttle::per_address))
                // Outside the address limit, so that an allowed origin can read a `429` and
                // its `Retry-After`; a preflight is answered here, without reaching a handler.
                .wrap(cors.middleware())
                .wrap(logging::middleware())
                .app_data(data.clone())
                .app_data(metrics.clone())
                .configure(routes)
                .configure(metrics::routes)
        })
        .workers(workers)
        .keep_alive(keep_alive)
        .client_request_timeout(options.header_timeout)
        .client_disconnect_timeout(options.disconnect_timeout)
        .max_connections(per_worker)
        .shutdown_timeout(config.shutdown_timeout);
        if options.max_connections_per_address > 0 {
            let per_address = Slots::new(options.max_connections_per_address);
            server = server.on_connect(move |connection, data| {
                throttle::on_connect(&per_address, connection, data);
            });
        }
        let server = server.listen(listener)?;
        let server = if config.handle_signals {
            server
        } else {
            server.disable_signals()
        };
        Ok(Self {
            addr,
            server: server.run(),
        })
    }

    /// The address actually bound.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A handle to stop the server gracefully.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped; on SIGTERM or ctrl-c in-flight requests finish first.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Opens a database pool of the default size; statements are not logged (they carry
/// case data).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_pool(url, defaults::DB_MAX_CONNECTIONS).await
}

/// How much of a SQLite database file each connection reads through memory-mapped I/O
/// (PostgreSQL ignores it). Without it every page a query reads is copied from the
/// kernel's cache into the connection's own small page cache: at 20,000 children the
/// strategic report spent most of its time there (665 ms; 275 ms mapped, `BENCHMARKS.md`).
/// The mapped pages are the operating system's file cache, shared by the connections and
/// given back under memory pressure; this is address space, not memory set aside.
pub const SQLITE_MMAP_BYTES: u64 = 1 << 30;

/// How long a pooled connection may sit idle before it is tested (a ping) when it is next
/// taken. The pool's default tests it on every checkout: one more round trip before each
/// statement, which on the child view doubled the round trips a read waits for
/// (`BENCHMARKS.md`). A connection in use is not tested; one idle this long may have been
/// closed by the server or something between, and is tested before it is handed out.
pub const TEST_CONNECTION_IDLE_FOR: Duration = Duration::from_secs(10);

/// Opens a database pool of at most `max_connections`; statements are not logged.
pub async fn connect_pool(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections.max(1))
        .min_connections(0)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .test_before_acquire_if_idle_for(TEST_CONNECTION_IDLE_FOR)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| o.pragma("mmap_size", SQLITE_MMAP_BYTES.to_string()));
    Database::connect(options).await
}
