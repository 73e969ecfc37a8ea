//! Logging and tracing: readable lines in development, JSON in production; and, when
//! `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, spans
//! exported over OTLP (HTTP, protobuf) to that collector.
//!
//! The spans exported: each HTTP request (`http_request`, from `http::logging`), each GraphQL
//! operation and its phases (`graphql.request`, `graphql.parse`, `graphql.validate`,
//! `graphql.execute`, from `graphql::hooks` and `graphql::schemas`; a query over HTTP has
//! no `graphql.validate`), and each SQL statement (sea-orm's
//! `sea_orm.query_one`, `sea_orm.query_all`, `sea_orm.execute`, …, carrying the statement
//! with its `$n`/`?` placeholders, never the values bound to them). No span carries a
//! query's text or variables: async-graphql's own `Tracing` extension is not used because
//! it records the query with its variables filled in. Per-field resolver spans are not made
//! (a page of a hundred rows would be thousands of spans).
//!
//! Everything else about the exporter follows the standard `OTEL_*` variables
//! (`OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_BSP_SCHEDULE_DELAY`, …).

use std::sync::atomic::{AtomicBool, Ordering};

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Metadata;
use tracing_subscriber::filter::{EnvFilter, FilterFn};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{Layer, Registry};

use crate::config::LogFormat;

/// The default log filter; `RUST_LOG` replaces it.
const DEFAULT_FILTER: &str =
    "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn,concord::trace=off";

/// The target of the GraphQL spans, so that they go to the exporter and not the log.
pub(crate) const TRACE_TARGET: &str = "concord::trace";

/// Whether spans are being exported.
static EXPORTING: AtomicBool = AtomicBool::new(false);

/// Keeps the exporter running; dropping it sends what is still buffered.
#[must_use = "dropping the guard stops the trace export"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(error) = provider.shutdown()
        {
            eprintln!("error: flushing the trace export: {error}");
        }
    }
}

/// The OTLP endpoint configured in the environment, if any.
fn otlp_endpoint() -> Option<String> {
    [
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
    ]
    .into_iter()
    .filter_map(|name| std::env::var(name).ok())
    .find(|value| !value.trim().is_empty())
}

/// What is exported: spans only, at `info` or above (sea-orm's statement spans are `info`),
/// and warnings and errors as span events.
fn exported(metadata: &Metadata<'_>) -> bool {
    if metadata.is_span() {
        // sea-orm's `#[instrument]` spans at `trace` record their arguments (a
        // connection's options among them); its statement spans are `info`.
        metadata.level() <= &tracing::Level::INFO
    } else {
        metadata.level() <= &tracing::Level::WARN
    }
}

/// Installs the global subscriber; `RUST_LOG` refines the default filter. With an OTLP
/// endpoint in the environment, spans are exported too; a collector that cannot be set
/// up is reported and the service runs without it.
pub fn init(format: LogFormat) -> Telemetry {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let log: Box<dyn Layer<Registry> + Send + Sync> = match format {
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_writer(std::io::stderr)
            .with_filter(filter)
            .boxed(),
        LogFormat::Pretty => tracing_subscriber::fmt::layer()
            .compact()
            .with_writer(std::io::stderr)
            .with_filter(filter)
            .boxed(),
    };
    let (provider, problem) = match otlp_endpoint() {
        None => (None, None),
        Some(endpoint) => match exporter() {
            Ok(provider) => (Some((provider, endpoint)), None),
            Err(error) => (None, Some(error)),
        },
    };
    let export = provider.as_ref().map(|(provider, _)| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("concord"))
            .with_filter(FilterFn::new(exported))
    });
    let installed = tracing_subscriber::registry()
        .with(log)
        .with(export)
        .try_init()
        .is_ok();
    if let Some(error) = problem {
        tracing::error!(%error, "trace export not started");
    }
    let provider = provider.map(|(provider, endpoint)| {
        if installed {
            EXPORTING.store(true, Ordering::Relaxed);
            tracing::info!(%endpoint, "exporting traces over OTLP");
        }
        provider
    });
    Telemetry { provider }
}

fn exporter() -> Result<SdkTracerProvider, opentelemetry_otlp::ExporterBuildError> {
    use opentelemetry_otlp::{Protocol, WithExportConfig as _};
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .build()?;
    let mut resource = opentelemetry_sdk::Resource::builder();
    if std::env::var_os("OTEL_SERVICE_NAME").is_none() {
        resource = resource.with_service_name("concord");
    }
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource.build())
        .build())
}

/// Whether spans are exported: only then does `graphql::hooks` make the spans of each
/// GraphQL operation and of its phases.
pub fn exporting() -> bool {
    EXPORTING.load(Ordering::Relaxed)
}
