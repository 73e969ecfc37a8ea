//! Which operations sent over a WebSocket may start: each counts against its subject's
//! rate limit (as an HTTP request does), and a subscription needs a free slot on its socket
//! and among its subject's subscriptions over every socket of this process. A refused
//! operation gets the protocol's error for its id; the socket stays open.
//!
//! A subscription refused for the number running is audited as a denied `SUBSCRIBE`
//! (the rate limit spends the sender's budget first, which bounds those writes); a rate-limited
//! operation is logged only (see `throttle`).

use std::sync::Arc;

use async_graphql::ServerError;
use async_graphql::parser::types::OperationType;

use super::{AppState, ws};
use crate::auth::Actor;
use crate::domain::Caller;
use crate::domain::audit::{AuditAction, EntityType, Target};
use crate::domain::op::Operation;
use crate::error::ApiError;

/// Admits one operation of `actor` on a socket, or says why not.
pub fn admit(
    app: &Arc<AppState>,
    actor: &Actor,
    starting: &ws::Starting<'_>,
) -> Result<Option<ws::Ticket>, ServerError> {
    if let Err(retry) = app.rate_limits.check_subject(&actor.subject) {
        tracing::info!(
            subject = %actor.subject,
            retry_after = retry.seconds(),
            "websocket operation rate limited by subject"
        );
        return Err(retry.error());
    }
    // Before async-graphql prepares the document, which walks each fragment spread as
    // often as it is spread (`graphql::limits::expansion`).
    if let Some(document) = starting.document {
        app.schema.check_document(document, starting.variables)?;
    }
    if starting.operation_type != Some(OperationType::Subscription) {
        return Ok(None);
    }
    let per_socket = app.max_subscriptions_per_connection;
    if starting.socket_subscriptions >= per_socket {
        let message =
            format!("this connection runs {per_socket} subscriptions already; complete one first");
        return Err(refuse(
            app,
            actor,
            starting,
            message,
            "connectionSubscriptions",
            per_socket,
        ));
    }
    match app.subscription_slots.acquire(&actor.subject) {
        Some(slot) => Ok(Some(Box::new(slot))),
        None => {
            let per_subject = app.subscription_slots.max();
            let message = format!(
                "you run {per_subject} subscriptions already over all your connections; \
                 complete one first"
            );
            Err(refuse(
                app,
                actor,
                starting,
                message,
                "subjectSubscriptions",
                per_subject,
            ))
        }
    }
}

/// The `LIMIT_EXCEEDED` error of a refused subscription (with `extensions.limit` and the
/// count measured, as every limit), audited in the background.
fn refuse(
    app: &Arc<AppState>,
    actor: &Actor,
    starting: &ws::Starting<'_>,
    message: String,
    measure: &str,
    limit: usize,
) -> ServerError {
    tracing::info!(subject = %actor.subject, limit, measure, "subscription refused");
    let mut error = ServerError::new(message.clone(), None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", "LIMIT_EXCEEDED");
    extensions.set("limit", limit);
    extensions.set(measure, limit);
    error.extensions = Some(extensions);
    let db = app.db.clone();
    let caller = Caller::new(actor.clone(), starting.request_id.to_owned());
    // The socket's loop must not wait on the database; the audit row follows the answer.
    actix_web::rt::spawn(async move {
        let op = Operation::new(
            &db,
            &caller,
            AuditAction::Subscribe,
            Target::of(EntityType::PlanEvent),
        );
        let outcome = op.deny(ApiError::LimitExceeded(message)).await;
        if !matches!(outcome, ApiError::LimitExceeded(_)) {
            tracing::error!(
                error = %crate::error::cause_chain(&outcome),
                "auditing a refused subscription failed"
            );
        }
    });
    error
}
