//! Building and running the server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::auth::TokenVerifier;
use crate::config::Mode;
use crate::domain::DomainConfig;
use crate::events::Relay;
use crate::graphql::build_schema;
use crate::http::{AppState, logging, routes, ws::WsConfig};

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
/// `ServerConfig` by name keeps compiling as they are added.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServerOptions {
    /// Interval of the server's keep-alive on acknowledged WebSocket connections
    /// (`graphql-transport-ws` `ping`, legacy `ka`); `None` sends none.
    pub ws_keepalive: Option<Duration>,
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

    /// Binds the listener and builds the server; the schema is built once, here.
    pub async fn build_with(config: ServerConfig, options: ServerOptions) -> std::io::Result<Self> {
        let listener = TcpListener::bind(config.listen)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(AppState {
            schema: build_schema(
                config.db.clone(),
                config.domain,
                Relay::start(config.db.clone()).await,
            ),
            db: config.db,
            verifier: config.verifier,
            mode: config.mode,
            ws: WsConfig {
                init_timeout: config.ws_init_timeout,
                keepalive: options.ws_keepalive,
            },
        });
        let data = web::Data::new(state);
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(logging::middleware())
                .app_data(data.clone())
                .configure(routes)
        })
        .shutdown_timeout(config.shutdown_timeout)
        .listen(listener)?;
        if let Some(workers) = config.workers {
            server = server.workers(workers);
        }
        if !config.handle_signals {
            server = server.disable_signals();
        }
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

/// Opens the database pool; statements are not logged (they carry case data).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    Database::connect(options).await
}
