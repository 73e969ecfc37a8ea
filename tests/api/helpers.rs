//! The test harness: a real server on port 0 with a fresh database, and real tokens.
//!
//! Every test runs against SQLite, and also against PostgreSQL when
//! `CONCORD_TEST_DATABASE_URL` names a server (a database per test is created there and
//! dropped afterwards).
//!
//! Beside the harness: [`db`] reads what the server wrote, [`refusals`] asserts what it must
//! refuse, [`plans`] builds joint plans, actions and consultations through GraphQL, and
//! [`process`] runs the `concord` binary itself.

pub mod db;
pub mod plans;
pub mod process;
pub mod refusals;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use api::app::{Application, Pools, ServerConfig, ServerOptions, connect};
use api::auth::{Claims, TokenVerifier};
use api::cli::Cli;
use api::config::Mode;
use clap::Parser as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use migration::MigratorTrait as _;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use uuid::Uuid;

/// The HS256 secret of the test servers.
pub const SECRET: &str = "test-secret-that-is-long-enough-for-hs256-0123456789";
/// The issuer test servers require.
pub const ISSUER: &str = "concord-test-issuer";
/// The audience test servers require.
pub const AUDIENCE: &str = "concord-test-audience";

/// A database the suite can run on.
#[derive(Clone, Debug)]
pub enum Backend {
    /// A SQLite file in the temporary folder.
    Sqlite,
    /// A fresh database on this PostgreSQL server.
    Postgres(String),
}

/// The backends of this run: SQLite, and PostgreSQL when configured.
pub fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite];
    if let Ok(url) = std::env::var("CONCORD_TEST_DATABASE_URL")
        && !url.trim().is_empty()
    {
        all.push(Backend::Postgres(url));
    }
    all
}

/// How the server verifies tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keys {
    /// HS256 with [`SECRET`].
    Hs256,
    /// RS256 with `tests/keys/rsa-public.pem`.
    Rs256,
    /// ES256 with `tests/keys/ec-public.pem`.
    Es256,
    /// RS256 with `tests/keys/jwks.json`.
    Jwks,
}

/// A key file of the suite.
pub fn key_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/keys")
        .join(name)
}

/// Drops the test database when the test ends, pass or fail.
pub(crate) struct DatabaseGuard {
    backend: Backend,
    sqlite_path: Option<PathBuf>,
    pg_name: Option<String>,
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        if let Some(path) = &self.sqlite_path {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        if let (Backend::Postgres(url), Some(name)) = (&self.backend, &self.pg_name) {
            let url = url.clone();
            let name = name.clone();
            // The test's runtime may be shutting down: drop the database from a thread of its own.
            let _ = std::thread::spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                runtime.block_on(async move {
                    if let Ok(admin) = connect(&url).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// A running server with its own database.
pub struct TestApp {
    /// `http://127.0.0.1:port`.
    pub address: String,
    /// The port.
    pub port: u16,
    /// Direct database access, for fixtures and for checking what the server wrote.
    pub db: DatabaseConnection,
    /// Which backend this is.
    pub backend: Backend,
    /// The database URL, for other processes on the same database.
    pub database_url: String,
    /// The HTTP client.
    pub client: reqwest::Client,
    /// How many SQL statements the server has run (see [`count_statements`]).
    pub statements: Arc<AtomicU64>,
    handle: actix_web::dev::ServerHandle,
    _guard: DatabaseGuard,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        drop(handle.stop(false));
    }
}

/// One app per backend, each with HS256 tokens.
pub async fn spawn_apps() -> Vec<TestApp> {
    let mut apps = Vec::new();
    for backend in backends() {
        apps.push(spawn_app(backend, Keys::Hs256).await);
    }
    apps
}

/// A server on `backend` verifying tokens with `keys`, with the default options.
pub async fn spawn_app(backend: Backend, keys: Keys) -> TestApp {
    spawn_app_with(backend, keys, ServerOptions::default()).await
}

/// A server on `backend` verifying tokens with `keys`, with `options` (limits, timeouts).
pub async fn spawn_app_with(backend: Backend, keys: Keys, options: ServerOptions) -> TestApp {
    spawn_app_with_pools(backend, keys, options, |_| async { Pools::default() }).await
}

/// [`spawn_app_with`], with the subscription and read pools `pools` opens on the test
/// database's URL.
pub async fn spawn_app_with_pools<F, Fut>(
    backend: Backend,
    keys: Keys,
    options: ServerOptions,
    pools: F,
) -> TestApp
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = Pools>,
{
    let (url, guard) = fresh_database(&backend).await;
    let db = connect(&url).await.expect("connect to the test database");
    migration::Migrator::up(&db, None)
        .await
        .expect("migrate the test database");
    let mut args = vec!["concord".to_owned()];
    let key_args: Vec<String> = match keys {
        Keys::Hs256 => vec!["--jwt-secret".into(), SECRET.into()],
        Keys::Rs256 => vec!["--jwt-public-key-file".into(), path_arg("rsa-public.pem")],
        Keys::Es256 => vec![
            "--jwt-public-key-file".into(),
            path_arg("ec-public.pem"),
            "--jwt-algorithm".into(),
            "ES256".into(),
        ],
        Keys::Jwks => vec!["--jwks-file".into(), path_arg("jwks.json")],
    };
    args.extend(key_args);
    args.extend([
        "--jwt-issuer".into(),
        ISSUER.into(),
        "--jwt-audience".into(),
        AUDIENCE.into(),
    ]);
    let cli = Cli::try_parse_from(args).expect("test settings parse");
    let statements = Arc::new(AtomicU64::new(0));
    let server_db = count_statements(db.clone(), statements.clone());
    let verifier = TokenVerifier::from_settings(&cli.settings).expect("test verifier");
    let pools = pools(url.clone()).await;
    let app = Application::build_with_pools(
        ServerConfig {
            db: server_db,
            verifier,
            mode: Mode::Production,
            listen: "127.0.0.1:0".parse().expect("address"),
            workers: Some(1),
            shutdown_timeout: 1,
            handle_signals: false,
            ws_init_timeout: std::time::Duration::from_secs(2),
            domain: api::domain::DomainConfig {
                designated_social_care: Some("csc".into()),
                designated_police: Some("police".into()),
                ..Default::default()
            },
        },
        options,
        pools,
    )
    .await
    .expect("bind the test server");
    let port = app.addr().port();
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        db,
        backend,
        database_url: url,
        client: reqwest::Client::new(),
        statements,
        handle,
        _guard: guard,
    }
}

/// The server's handle on the test database (the same pool), counting into `counter`
/// every statement it runs, except the outbox relay's polling of `plan_events`, which runs
/// on its own clock and belongs to no request. With `CONCORD_TEST_PRINT_SQL` set, each
/// counted statement is also printed (the start of it), to see what a request runs.
fn count_statements(mut db: DatabaseConnection, counter: Arc<AtomicU64>) -> DatabaseConnection {
    db.set_metric_callback(move |info| {
        if !info.statement.sql.contains("plan_events") {
            counter.fetch_add(1, Ordering::SeqCst);
            if std::env::var_os("CONCORD_TEST_PRINT_SQL").is_some() {
                eprintln!(
                    "SQL: {}",
                    info.statement.sql.chars().take(200).collect::<String>()
                );
            }
        }
    });
    db
}

fn path_arg(name: &str) -> String {
    key_path(name).display().to_string()
}

pub(crate) async fn fresh_database(backend: &Backend) -> (String, DatabaseGuard) {
    match backend {
        Backend::Sqlite => {
            let path =
                std::env::temp_dir().join(format!("concord-test-{}.db", Uuid::new_v4().simple()));
            let url = format!("sqlite://{}?mode=rwc", path.display());
            (
                url,
                DatabaseGuard {
                    backend: backend.clone(),
                    sqlite_path: Some(path),
                    pg_name: None,
                },
            )
        }
        Backend::Postgres(admin_url) => {
            let name = format!("concord_test_{}", Uuid::new_v4().simple());
            let admin = connect(admin_url).await.expect("connect to PostgreSQL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.expect("close admin connection");
            let url = replace_database(admin_url, &name);
            (
                url,
                DatabaseGuard {
                    backend: backend.clone(),
                    sqlite_path: None,
                    pg_name: Some(name),
                },
            )
        }
    }
}

/// `postgres://user@host:port/db?x` with the database replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

/// Someone to sign a token for.
#[derive(Clone, Debug)]
pub struct TestActor {
    /// Subject.
    pub sub: String,
    /// Agency code.
    pub agency: String,
    /// Role names.
    pub roles: Vec<String>,
}

impl TestActor {
    /// An actor with one role at an agency.
    pub fn new(role: &str, agency: &str) -> Self {
        Self {
            sub: format!("{}-{agency}", role.to_lowercase()),
            agency: agency.into(),
            roles: vec![role.into()],
        }
    }
    /// A practitioner of `agency`.
    pub fn practitioner(agency: &str) -> Self {
        Self::new("PRACTITIONER", agency)
    }
    /// An agency lead of `agency`.
    pub fn agency_lead(agency: &str) -> Self {
        Self::new("AGENCY_LEAD", agency)
    }
    /// A coordinator of `agency`.
    pub fn coordinator(agency: &str) -> Self {
        Self::new("COORDINATOR", agency)
    }
    /// A system administrator of `agency`.
    pub fn admin(agency: &str) -> Self {
        Self::new("SYSTEM_ADMIN", agency)
    }
    /// A strategic analyst of `agency`.
    pub fn analyst(agency: &str) -> Self {
        Self::new("STRATEGIC_ANALYST", agency)
    }
    /// An auditor of `agency`.
    pub fn auditor(agency: &str) -> Self {
        Self::new("AUDITOR", agency)
    }
    /// An information governance (data protection) officer of `agency`.
    pub fn information_governance(agency: &str) -> Self {
        Self::new("INFORMATION_GOVERNANCE", agency)
    }

    /// The roles of `agency` that work cases.
    pub fn case_roles(agency: &str) -> [Self; 3] {
        [
            Self::practitioner(agency),
            Self::agency_lead(agency),
            Self::coordinator(agency),
        ]
    }
    /// The roles of `agency` that never work cases (information governance reads a
    /// child's record only through its audited export).
    pub fn non_case_roles(agency: &str) -> [Self; 4] {
        [
            Self::analyst(agency),
            Self::auditor(agency),
            Self::admin(agency),
            Self::information_governance(agency),
        ]
    }

    /// Claims valid for an hour.
    pub fn claims(&self) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: self.sub.clone(),
            name: Some(format!("Test {}", self.sub)),
            agency: self.agency.clone(),
            roles: self.roles.clone(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            exp: now + 3600,
            iat: Some(now),
        }
    }

    /// An HS256 token signed with the test secret.
    pub fn token(&self) -> String {
        sign(&self.claims(), Algorithm::HS256, None)
    }
}

/// Signs claims with the suite's keys: HS256 with [`SECRET`], RS256 with
/// `rsa-private.pem` (kid `test-key-1`), ES256 with `ec-private.pem`.
pub fn sign(claims: &impl serde::Serialize, algorithm: Algorithm, kid: Option<&str>) -> String {
    let key = match algorithm {
        Algorithm::HS256 => EncodingKey::from_secret(SECRET.as_bytes()),
        Algorithm::RS256 => {
            EncodingKey::from_rsa_pem(&read_key("rsa-private.pem")).expect("rsa key")
        }
        Algorithm::ES256 => EncodingKey::from_ec_pem(&read_key("ec-private.pem")).expect("ec key"),
        other => panic!("no test key for {other:?}"),
    };
    let mut header = Header::new(algorithm);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &key).expect("sign")
}

/// The bytes of a key file.
pub fn read_key(name: &str) -> Vec<u8> {
    std::fs::read(key_path(name)).expect("read key")
}

impl TestApp {
    /// POSTs a GraphQL request and returns the response body.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        self.post_graphql(json!({ "query": query, "variables": variables }), token)
            .await
            .json()
            .await
            .expect("JSON response")
    }

    /// POSTs a raw JSON body to `/graphql`.
    pub async fn post_graphql(&self, body: Value, token: Option<&str>) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    /// `gql` as `actor`, asserting there is no error; returns `data`.
    pub async fn ok_as(&self, actor: &TestActor, query: &str, variables: Value) -> Value {
        let response = self.gql_as(actor, query, variables).await;
        assert!(
            response["errors"].is_null(),
            "{actor:?} on {:?}: {query}\n{response}",
            self.backend
        );
        response["data"].clone()
    }

    /// `ok_as`, with how many SQL statements the server ran meanwhile.
    pub async fn ok_counted(
        &self,
        actor: &TestActor,
        query: &str,
        variables: Value,
    ) -> (Value, u64) {
        let before = self.statements.load(Ordering::SeqCst);
        let data = self.ok_as(actor, query, variables).await;
        (data, self.statements.load(Ordering::SeqCst) - before)
    }

    /// `gql` as `actor`.
    pub async fn gql_as(&self, actor: &TestActor, query: &str, variables: Value) -> Value {
        self.gql(query, variables, Some(&actor.token())).await
    }

    /// Adds an agency the way an operator does before any token is valid.
    pub async fn add_agency(&self, code: &str, kind: entity::enums::AgencyKind) -> Uuid {
        let input = api::domain::agencies::NewAgency {
            code: code.into(),
            name: format!("Test {code}"),
            kind,
        };
        api::domain::agencies::bootstrap(&self.db, input)
            .await
            .expect("add agency")
            .id
    }

    /// The WebSocket URL of `/graphql`.
    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/graphql", self.port)
    }
}

/// The `extensions.code` of the first error, if any.
pub fn error_code(response: &Value) -> Option<&str> {
    response["errors"][0]["extensions"]["code"].as_str()
}

/// The `id` string of a GraphQL object.
pub fn id_of(object: &Value) -> String {
    object["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {object}"))
        .to_owned()
}

/// Global id of a row.
pub fn global_id(kind: &str, id: Uuid) -> String {
    api::graphql::ids::encode(kind, id).0
}

/// The row id inside a global id.
pub fn uuid_of(global: &str) -> Uuid {
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global)
        .expect("base64 id");
    let text = String::from_utf8(raw).expect("utf-8 id");
    let (_, id) = text.split_once(':').expect("Type:uuid");
    Uuid::parse_str(id).expect("uuid")
}
