//! The schema's one extension: everything Concord does around a GraphQL request, in the
//! order it is done.
//!
//! - **Prepared and parsed:** the operation's name and type are noted for its metrics
//!   (`metrics::OperationRecord`); a document asking for `__schema` or `__type` is refused
//!   when introspection is off (`introspection`); one with too many aliases is refused
//!   (`limits`).
//! - **Validated:** one nested too deep or costing too much is refused (`limits`).
//! - **Executed:** a WebSocket operation of an agency deactivated since its socket opened
//!   is refused, and a panic is answered `INTERNAL` for that request only (`guard`).
//! - **Each top-level mutation field:** the request's loader caches are emptied before and
//!   after it ([`to_refresh`]).
//! - **Answered:** every error without a code gets one (`limits::with_code`), then the
//!   operation is counted and timed.
//!
//! While spans are exported (`telemetry`), the request and each phase are spans
//! (`graphql.request`, `graphql.parse`, `graphql.validate`, `graphql.execute`).
//!
//! Why one extension and not one per concern: as soon as a schema has any extension,
//! async-graphql calls every extension's `resolve` around every field and every list item,
//! each call a boxed future, whether the extension does anything there or not. With one
//! extension that chain is one link; the caseload page resolves thousands of fields.
//! Queries over HTTP skip even that link: they run on a build of the schema without the
//! extension, and `schemas` does the same things around them with the functions below.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextRequest, NextResolve, NextValidation, ResolveInfo,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    Request, Response, ServerError, ServerResult, ValidationResult, Value, Variables,
};
use tracing::Instrument as _;

use super::limits::Limits;
use super::loaders::Loaders;
use crate::metrics::OperationRecord;
use crate::telemetry::TRACE_TARGET;

/// The extension installed on the schema: what one request may ask for, and whether
/// introspection is refused.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hooks {
    /// What one request may ask for.
    pub limits: Limits,
    /// Refuse documents that introspect.
    pub refuse_introspection: bool,
}

impl ExtensionFactory for Hooks {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestHooks {
            settings: *self,
            traced: crate::telemetry::exporting(),
            operation: OperationRecord::default(),
        })
    }
}

impl Hooks {
    /// Refuses a parsed document that introspects while introspection is refused, that
    /// uses too many aliases or mutation fields, or whose text (or its variables') holds
    /// a NUL character.
    pub fn check_document(
        &self,
        document: &ExecutableDocument,
        variables: &Variables,
    ) -> ServerResult<()> {
        if self.refuse_introspection {
            super::introspection::refuse_introspection(document)?;
        }
        self.limits.check_document(document)?;
        super::nul::refuse_nul(document, variables)
    }
}

/// `phase`, inside the span `span` makes when `traced` (spans are exported).
pub(super) async fn in_span<T>(
    traced: bool,
    span: impl FnOnce() -> tracing::Span,
    phase: impl std::future::Future<Output = T>,
) -> T {
    if traced {
        phase.instrument(span()).await
    } else {
        phase.await
    }
}

/// The `graphql.request` span.
pub(super) fn request_span() -> tracing::Span {
    tracing::info_span!(target: TRACE_TARGET, "graphql.request")
}

/// The `graphql.parse` span.
pub(super) fn parse_span() -> tracing::Span {
    tracing::info_span!(target: TRACE_TARGET, "graphql.parse")
}

/// The `graphql.execute` span of the operation named `operation_name`.
pub(super) fn execute_span(operation_name: Option<&str>) -> tracing::Span {
    let name = operation_name
        .filter(|name| crate::metrics::is_plain_name(name))
        .unwrap_or_default();
    tracing::info_span!(
        target: TRACE_TARGET,
        "graphql.execute",
        graphql.operation.name = name,
    )
}

/// The answer as it leaves: every error without a code given one, then the operation
/// counted and timed.
pub(super) fn answered(
    mut response: Response,
    operation: &OperationRecord,
    started: Instant,
) -> Response {
    response.errors = response
        .errors
        .into_iter()
        .map(super::limits::with_code)
        .collect();
    operation.record(&response, started);
    response
}

/// The request's loaders when `info` is a top-level mutation field: their caches are
/// emptied before and after it, so that a field never sees what was read before an
/// earlier field wrote.
fn to_refresh<'a>(ctx: &'a ExtensionContext<'_>, info: &ResolveInfo<'_>) -> Option<&'a Loaders> {
    let top_level_write = info.path_node.parent.is_none() && info.parent_type == "Mutation";
    if top_level_write {
        ctx.data_opt::<Loaders>()
    } else {
        None
    }
}

/// The extension of one request.
struct RequestHooks {
    settings: Hooks,
    /// Whether spans are made (they are while spans are exported).
    traced: bool,
    operation: OperationRecord,
}

#[async_trait::async_trait]
impl Extension for RequestHooks {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        self.operation.note_request(&request);
        next.run(ctx, request).await
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let response = in_span(self.traced, request_span, next.run(ctx)).await;
        answered(response, &self.operation, started)
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = in_span(self.traced, parse_span, next.run(ctx, query, variables)).await?;
        self.settings.check_document(&document, variables)?;
        self.operation.note_document(&document);
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let span = || tracing::info_span!(target: TRACE_TARGET, "graphql.validate");
        let result = in_span(self.traced, span, next.run(ctx)).await?;
        self.settings.limits.check_validation(&result)?;
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let span = || execute_span(operation_name);
        let execution = async {
            if let Some(refused) = super::guard::refuse_stale_socket(ctx).await {
                return refused;
            }
            next.run(ctx, operation_name).await
        };
        in_span(self.traced, span, super::guard::answer_panics(execution)).await
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let Some(loaders) = to_refresh(ctx, &info) else {
            return next.run(ctx, info).await;
        };
        loaders.clear();
        let result = next.run(ctx, info).await;
        loaders.clear();
        result
    }
}
