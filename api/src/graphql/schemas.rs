//! The schema, built twice from the same types and data, and which build runs a request.
//!
//! Once a schema has any extension, async-graphql calls it around every field and every
//! list item it resolves: a boxed future, two registry lookups and, for a list item, two
//! type names formatted, whether the extension does anything there or not. A caseload page
//! of 50 children resolves thousands of fields, and that work was 11–14 % of the server's
//! CPU per page (`BENCHMARKS.md`, "Queries without the extension"). So there are two builds:
//!
//! - **hooked**, with `hooks::Hooks`: every mutation, every operation over a WebSocket,
//!   and every document that does not parse. Around each top-level mutation field the
//!   hooks empty the request's loader caches, and before each WebSocket operation they
//!   check that the socket's agency is still active.
//! - **plain**, without it: every query over HTTP. [`ConcordSchema::execute`] does around
//!   it what the hooks do, with the same functions: the operation noted for the metrics,
//!   the document refused if it introspects while that is off or uses too many aliases, a
//!   panic answered `INTERNAL`, every error given a code, the operation counted and timed,
//!   and the spans `graphql.request`, `graphql.parse` and `graphql.execute` (validation
//!   happens inside `graphql.execute` here, with no `graphql.validate` span). The depth and
//!   cost limits are async-graphql's own, set to the same numbers.
//!
//! async-graphql's own refusal of a document too deep or too costly does not say by how
//! much, and Concord's does (`extensions.depth`, `extensions.cost`). So a query the plain
//! build refuses for either is run again on the hooked build, which computes the same
//! measures in validation and refuses it there too, before any resolver runs; that run
//! makes its own spans (`graphql.validate` among them) and is the one counted in the
//! metrics. It carries none of the request's data (no caller, no loaders). Such a refused
//! document is parsed and validated twice; the rate limits count it once.

use std::time::Instant;

use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Request, Response, Schema, ServerResult, Value, Variables};

use super::hooks::{self, Hooks};
use super::{Mutation, Query, events};
use crate::metrics::OperationRecord;

/// One build of Concord's schema.
pub type Built = Schema<Query, Mutation, events::Subscription>;

/// Concord's schema: the hooked and the plain build of it, and what the hooks check.
#[derive(Clone)]
pub struct ConcordSchema {
    hooked: Built,
    plain: Built,
    hooks: Hooks,
}

/// async-graphql's refusals of a document nested too deep or costing too much.
const SIZE_REFUSALS: [&str; 2] = ["Query is nested too deep.", "Query is too complex."];

/// Whether async-graphql refused the whole request for its depth or its cost.
fn refused_for_size(response: &Response) -> bool {
    response.data == Value::Null
        && matches!(response.errors.as_slice(), [error]
            if error.path.is_empty() && SIZE_REFUSALS.contains(&error.message.as_str()))
}

impl ConcordSchema {
    /// The two builds: `hooked` has `hooks` installed; `plain` has no extension and
    /// async-graphql's own limits at the hooks' numbers.
    pub(super) fn new(hooked: Built, plain: Built, hooks: Hooks) -> Self {
        Self {
            hooked,
            plain,
            hooks,
        }
    }

    /// The hooked build, for the WebSocket transports (every operation over a socket runs
    /// on it).
    pub fn hooked(&self) -> &Built {
        &self.hooked
    }

    /// Runs one request: a query on the plain build, anything else on the hooked one.
    pub async fn execute(&self, request: impl Into<Request>) -> Response {
        let mut request = request.into();
        if let Some(error) = super::nesting::refusal(&request.query) {
            return Response::from_errors(vec![error]);
        }
        match crate::http::operation_of(&mut request) {
            (Some(OperationType::Query), name) => self.execute_query(request, name).await,
            _ => match self.refuse_before_preparing(&mut request) {
                Some(refused) => refused,
                None => self.hooked.execute(request).await,
            },
        }
    }

    /// What the hooks check of a parsed document: for the WebSocket transports, before
    /// async-graphql prepares it.
    pub fn check_document(
        &self,
        document: &ExecutableDocument,
        variables: &Variables,
    ) -> ServerResult<()> {
        self.hooks.check_document(document, variables)
    }

    /// The answer to a document the hooks refuse, counted as they count it, before the
    /// hooked build prepares it: async-graphql's preparation follows every fragment spread
    /// as often as it is spread, before the hooks see the document
    /// (`limits::expansion`). `None` when the document passes, or does not parse.
    fn refuse_before_preparing(&self, request: &mut Request) -> Option<Response> {
        let started = Instant::now();
        let variables = std::mem::take(&mut request.variables);
        let checked = request
            .parsed_query()
            .ok()
            .map(|document| self.hooks.check_document(document, &variables));
        request.variables = variables;
        let error = checked?.err()?;
        let operation = OperationRecord::default();
        operation.note_request(request);
        if let Ok(document) = request.parsed_query() {
            operation.note_document(document);
        }
        Some(hooks::answered(
            Response::from_errors(vec![error]),
            &operation,
            started,
        ))
    }

    /// Runs a query whose document has parsed, on the plain build, doing around it what
    /// the hooks do; `name` is the name of the operation the document runs.
    async fn execute_query(&self, mut request: Request, name: Option<String>) -> Response {
        let started = Instant::now();
        let traced = crate::telemetry::exporting();
        let operation = OperationRecord::default();
        operation.note_request(&request);
        let mut measure = Request::new(request.query.clone()).variables(request.variables.clone());
        if let Some(name) = &request.operation_name {
            measure = measure.operation_name(name.clone());
        }
        let run = async {
            let checked = hooks::in_span(traced, hooks::parse_span, async {
                let variables = request.variables.clone();
                let document = request.parsed_query()?;
                self.hooks.check_document(document, &variables)?;
                operation.note_document(document);
                Ok::<_, async_graphql::ServerError>(())
            })
            .await;
            if let Err(error) = checked {
                return Some(Response::from_errors(vec![error]));
            }
            // Boxed: held inline, its state was copied through every caller's frame, and a
            // debug build overflowed the worker's 2 MiB stack on a caseload page.
            let execution = super::guard::answer_panics(Box::pin(self.plain.execute(request)));
            let response =
                hooks::in_span(traced, || hooks::execute_span(name.as_deref()), execution).await;
            (!refused_for_size(&response)).then_some(response)
        };
        match hooks::in_span(traced, hooks::request_span, run).await {
            Some(response) => hooks::answered(response, &operation, started),
            // The hooked build refuses it again, saying by how much, and counts it.
            None => self.hooked.execute(measure).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};

    use super::refused_for_size;

    struct Query;

    #[Object]
    impl Query {
        async fn one(&self) -> i32 {
            1
        }
    }

    fn schema(depth: usize, cost: usize) -> Schema<Query, EmptyMutation, EmptySubscription> {
        Schema::build(Query, EmptyMutation, EmptySubscription)
            .limit_depth(depth)
            .limit_complexity(cost)
            .finish()
    }

    /// Fails when an async-graphql upgrade rewords its refusals, which would lose the
    /// measure in Concord's refusal (the query would still be refused).
    #[tokio::test]
    async fn async_graphqls_refusals_for_depth_and_cost_are_recognised() {
        assert!(refused_for_size(&schema(0, 10).execute("{ one }").await));
        assert!(refused_for_size(&schema(10, 0).execute("{ one }").await));
        assert!(!refused_for_size(&schema(10, 10).execute("{ one }").await));
        assert!(!refused_for_size(&schema(10, 10).execute("{ two }").await));
    }
}
