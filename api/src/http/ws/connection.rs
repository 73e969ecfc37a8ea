//! The per-socket driver shared by both protocols: reads frames, runs operations, sends results.
//!
//! Longer than most files: the driver is one state machine (frames, init, expiry,
//! keep-alive, results, and the stall of a client that stopped reading), and splitting
//! its event handlers across files would only scatter it. What one running operation
//! holds, and how a query or mutation runs on a task of its own, lives in `operation`.

use std::{collections::HashMap, ops::ControlFlow, pin::Pin, sync::Arc};

use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason, ProtocolError};
use async_graphql::parser::types::OperationType;
use async_graphql::{Executor, ServerError};
use chrono::Utc;
use futures_util::{
    StreamExt,
    future::{LocalBoxFuture, OptionFuture},
    stream::{self, AbortHandle, Abortable, BoxStream, SelectAll},
};
use serde::Serialize;
use tokio::{
    sync::mpsc::{self, OwnedPermit},
    time::{Instant, Interval, MissedTickBehavior, Sleep},
};
use tracing::field::Empty;

use super::operation::{Active, InSpan, OpEvent, detached, with_deadline};
use super::{
    CLOSE_GRACE, Incoming, InitError, InitFn, Out, Protocol, Rejection, Session, Starting,
    WsConfig, legacy, transport_ws,
};

/// A close frame carries at most 125 bytes, two of which are the code.
const MAX_CLOSE_REASON: usize = 123;

/// Everything the driver waits for, one at a time.
#[expect(
    clippy::large_enum_variant,
    reason = "one short-lived value per loop turn; boxing would add an allocation per result"
)]
enum Event {
    Frame(Option<Result<AggregatedMessage, ProtocolError>>),
    InitDone(Result<Session, InitError>),
    InitTimeout,
    Expired,
    KeepAlive,
    Result(OwnedPermit<Box<Out>>, OpEvent),
    Stalled,
    WriterGone,
}

/// State of one socket.
pub(super) struct Connection<E> {
    protocol: Protocol,
    executor: E,
    config: WsConfig,
    out: mpsc::Sender<Box<Out>>,
    on_init: Option<InitFn>,
    init_received: bool,
    pending_init: Option<LocalBoxFuture<'static, Result<Session, InitError>>>,
    /// Present once the connection is acknowledged.
    session: Option<Session>,
    expiry: Option<Pin<Box<Sleep>>>,
    keepalive: Option<Interval>,
    operations: SelectAll<BoxStream<'static, OpEvent>>,
    active: HashMap<String, Active>,
    generation: u64,
    /// Since when the outbound queue has been full with nothing taken from it.
    full_since: Option<Instant>,
}

/// Waits for room in the outbound queue and only then polls the operation streams.
///
/// Streams are pull-based: while a slow client keeps the queue full, no stream is polled, so
/// resolvers are back-pressured instead of their output piling up in memory.
async fn next_result(
    out: &mpsc::Sender<Box<Out>>,
    operations: &mut SelectAll<BoxStream<'static, OpEvent>>,
) -> Option<(OwnedPermit<Box<Out>>, OpEvent)> {
    let permit = out.clone().reserve_owned().await.ok()?;
    let event = operations.next().await?;
    Some((permit, event))
}

impl<E: Executor> Connection<E> {
    pub(super) fn new(
        protocol: Protocol,
        executor: E,
        config: WsConfig,
        out: mpsc::Sender<Box<Out>>,
        on_init: InitFn,
    ) -> Self {
        Self {
            protocol,
            executor,
            config,
            out,
            on_init: Some(on_init),
            init_received: false,
            pending_init: None,
            session: None,
            expiry: None,
            keepalive: None,
            operations: SelectAll::new(),
            active: HashMap::new(),
            generation: 0,
            full_since: None,
        }
    }

    /// Runs until the socket closes; returning drops every operation stream.
    pub(super) async fn run(mut self, mut frames: AggregatedMessageStream) {
        let init_deadline = tokio::time::sleep(self.config.init_timeout);
        tokio::pin!(init_deadline);
        loop {
            // The legacy reference server queues `start` behind a pending `connection_init`, so
            // stop reading until on_init settles; graphql-transport-ws must keep answering
            // (4401 for an early `subscribe`, 4429 for a second init, pongs).
            let read = !(self.protocol == Protocol::GraphqlWs && self.pending_init.is_some());
            let awaiting_init = !self.init_received;
            let has_operations = !self.operations.is_empty();
            // A client that stops reading keeps the queue full: after `write_stall` of that
            // the socket is closed, so that nothing it runs waits on it for longer.
            if self.out.capacity() > 0 {
                self.full_since = None;
            } else if self.full_since.is_none() {
                self.full_since = Some(Instant::now());
            }
            let stall_at = self.full_since.map(|since| since + self.config.write_stall);
            let event = tokio::select! {
                frame = frames.next(), if read => Event::Frame(frame),
                Some(result) = OptionFuture::from(self.pending_init.as_mut()) => {
                    Event::InitDone(result)
                }
                () = &mut init_deadline, if awaiting_init => Event::InitTimeout,
                Some(()) = OptionFuture::from(self.expiry.as_mut()) => Event::Expired,
                Some(_) = OptionFuture::from(self.keepalive.as_mut().map(Interval::tick)) => {
                    Event::KeepAlive
                }
                Some((permit, event)) = next_result(&self.out, &mut self.operations),
                    if has_operations =>
                {
                    Event::Result(permit, event)
                }
                Some(()) = OptionFuture::from(stall_at.map(tokio::time::sleep_until)) => {
                    Event::Stalled
                }
                () = self.out.closed() => Event::WriterGone,
            };
            // Boxed: the handlers' futures are large, and an idle socket should not keep
            // room for them.
            if Box::pin(self.handle(event)).await.is_break() {
                break;
            }
        }
        // Operations still running end with the socket.
        for (_, operation) in self.active.drain() {
            operation.finish("closed");
        }
        tracing::debug!("graphql websocket finished");
    }

    async fn handle(&mut self, event: Event) -> ControlFlow<()> {
        match event {
            Event::Frame(incoming) => self.on_frame(incoming).await,
            Event::InitDone(result) => {
                self.pending_init = None;
                self.on_init_done(result).await
            }
            Event::InitTimeout => self.close(4408, "Connection initialisation timeout").await,
            // 4403 rather than a private code: it is the spec's "credentials refused", and the
            // graphql-ws client retries on it (re-running connectionParams, so a fresh token is
            // fetched) while it gives up for good on 4401.
            Event::Expired => {
                self.forbid("Forbidden: token expired", "Token expired")
                    .await
            }
            Event::KeepAlive => {
                let text = match self.protocol {
                    Protocol::GraphqlTransportWs => frame(&transport_ws::ServerMessage::Ping),
                    Protocol::GraphqlWs => frame(&legacy::ServerMessage::Ka),
                };
                // A full queue already proves the socket is busy; skip rather than block the loop.
                let _ = self.out.try_send(Box::new(text));
                ControlFlow::Continue(())
            }
            Event::Result(permit, event) => {
                self.full_since = None;
                self.on_result(permit, event);
                ControlFlow::Continue(())
            }
            // The room an operation's result had reserved is free again here: the queue
            // may have moved after all.
            Event::Stalled if self.out.capacity() > 0 => {
                self.full_since = None;
                ControlFlow::Continue(())
            }
            Event::Stalled => {
                // No close frame: there is no room for one.
                tracing::info!("graphql websocket closed: the client stopped reading");
                ControlFlow::Break(())
            }
            Event::WriterGone => ControlFlow::Break(()),
        }
    }

    async fn on_frame(
        &mut self,
        incoming: Option<Result<AggregatedMessage, ProtocolError>>,
    ) -> ControlFlow<()> {
        let text = match incoming {
            None => return ControlFlow::Break(()),
            Some(Err(ProtocolError::Overflow)) => {
                return self.close(1009, "Message too big").await;
            }
            // A message over the limit of its frames together: actix-ws says so only in
            // the text of an I/O error.
            Some(Err(ProtocolError::Io(e)))
                if e.to_string().contains("maximum continuation size") =>
            {
                return self.close(1009, "Message too big").await;
            }
            Some(Err(e)) => return self.close(1002, &e.to_string()).await,
            Some(Ok(AggregatedMessage::Text(text))) => text.to_string(),
            // Binary frames carrying UTF-8 JSON are accepted, as the reference servers do.
            Some(Ok(AggregatedMessage::Binary(bytes))) => match String::from_utf8(bytes.to_vec()) {
                Ok(text) => text,
                Err(_) => {
                    let reason = "binary frame is not UTF-8".to_owned();
                    return self.reject(Rejection::NotJson(reason)).await;
                }
            },
            Some(Ok(AggregatedMessage::Ping(bytes))) => return self.send(Out::Pong(bytes)).await,
            Some(Ok(AggregatedMessage::Pong(_))) => return ControlFlow::Continue(()),
            Some(Ok(AggregatedMessage::Close(reason))) => {
                // Echo the client's code, as RFC 6455 §5.5.1 asks.
                let echo = reason.map(|r| CloseReason::from(r.code));
                let _ = self.send(Out::Close(echo)).await;
                return ControlFlow::Break(());
            }
        };
        let parsed = match self.protocol {
            Protocol::GraphqlTransportWs => transport_ws::parse(&text),
            Protocol::GraphqlWs => legacy::parse(&text),
        };
        match parsed {
            Ok(message) => self.on_message(message).await,
            Err(rejection) => self.reject(rejection).await,
        }
    }

    async fn on_message(&mut self, message: Incoming) -> ControlFlow<()> {
        match message {
            Incoming::Init(payload) => {
                let Some(on_init) = self.on_init.take() else {
                    return match self.protocol {
                        Protocol::GraphqlTransportWs => {
                            self.close(4429, "Too many initialisation requests").await
                        }
                        Protocol::GraphqlWs => {
                            let message = "Too many initialisation requests";
                            self.connection_error(message).await?;
                            self.close(4429, message).await
                        }
                    };
                };
                self.init_received = true;
                self.pending_init = Some(on_init(payload));
                ControlFlow::Continue(())
            }
            Incoming::Subscribe { id, request } => {
                if self.session.is_none() {
                    return self.close(4401, "Unauthorized").await;
                }
                if self.active.contains_key(&id) {
                    match self.protocol {
                        Protocol::GraphqlTransportWs => {
                            let reason = format!("Subscriber for {id} already exists");
                            return self.close(4409, &reason).await;
                        }
                        // The legacy reference server unsubscribes the old operation first.
                        Protocol::GraphqlWs => {
                            if let Some(existing) = self.active.remove(&id) {
                                existing.abort.abort();
                                existing.finish("cancelled");
                            }
                        }
                    }
                }
                match self.subscribe(id, request) {
                    Some(refusal) => self.send(refusal).await,
                    None => ControlFlow::Continue(()),
                }
            }
            Incoming::Complete(id) => {
                // Unknown ids are ignored: the operation may have just finished on its own.
                if let Some(operation) = self.active.remove(&id) {
                    operation.abort.abort();
                    operation.finish("cancelled");
                }
                ControlFlow::Continue(())
            }
            Incoming::Ping(payload) => {
                let pong = transport_ws::ServerMessage::Pong {
                    payload: payload.as_ref(),
                };
                self.send(frame(&pong)).await
            }
            Incoming::Pong => ControlFlow::Continue(()),
            Incoming::Terminate => self.close(1000, "Normal Closure").await,
        }
    }

    async fn on_init_done(&mut self, result: Result<Session, InitError>) -> ControlFlow<()> {
        let session = match result {
            Ok(session) => session,
            Err(error) => {
                let (code, reason) = error.close();
                tracing::debug!(code, "graphql websocket connection_init refused");
                let message = match &error {
                    InitError::Forbidden(refusal) => refusal.clone(),
                    InitError::Internal => reason.clone(),
                };
                if self.protocol == Protocol::GraphqlWs {
                    self.connection_error(&message).await?;
                }
                return self.close(code, &reason).await;
            }
        };
        if let Some(expires_at) = session.expires_at {
            let Ok(left) = (expires_at - Utc::now()).to_std() else {
                return self
                    .forbid("Forbidden: token expired", "Token expired")
                    .await;
            };
            self.expiry = Some(Box::pin(tokio::time::sleep(left)));
        }
        self.session = Some(session);
        let ack = match self.protocol {
            Protocol::GraphqlTransportWs => frame(&transport_ws::ServerMessage::ConnectionAck),
            Protocol::GraphqlWs => frame(&legacy::ServerMessage::ConnectionAck),
        };
        self.send(ack).await?;
        if let Some(period) = self.config.keepalive {
            // The legacy reference server sends its first `ka` right after the ack.
            let first = match self.protocol {
                Protocol::GraphqlTransportWs => Instant::now() + period,
                Protocol::GraphqlWs => Instant::now(),
            };
            let mut interval = tokio::time::interval_at(first, period);
            interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
            self.keepalive = Some(interval);
        }
        ControlFlow::Continue(())
    }

    /// Starts an operation with a context of its own once admission lets it; the connection
    /// must be acknowledged. Returns the frame refusing it when admission does not.
    fn subscribe(&mut self, id: String, mut request: async_graphql::Request) -> Option<Out> {
        let session = self.session.as_ref()?;
        // Before anything parses it: see `graphql::nesting`.
        if let Some(error) = crate::graphql::nesting::refusal(&request.query) {
            return Some(self.refusal(&id, &error));
        }
        let context = (session.operation)();
        let (operation_type, operation_name) = crate::http::operation_of(&mut request);
        let span = tracing::info_span!(
            "graphql_ws_operation",
            request_id = %context.request_id,
            operation_type = operation_type.map(crate::http::operation_type_name),
            operation_name = operation_name.as_deref(),
            outcome = Empty,
        );
        span.in_scope(|| tracing::debug!("graphql websocket operation started"));
        let subscription = operation_type == Some(OperationType::Subscription);
        let variables = std::mem::take(&mut request.variables);
        let starting = Starting {
            request_id: &context.request_id,
            operation_type,
            socket_subscriptions: self.active.values().filter(|a| a.subscription).count(),
            document: request.parsed_query().ok(),
            variables: &variables,
        };
        let admitted = session.admit.as_ref().map(|admit| admit(&starting));
        request.variables = variables;
        let ticket = match admitted {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(ticket))) => Some(ticket),
            Some(Err(error)) => {
                span.record("outcome", "refused");
                span.in_scope(|| {
                    tracing::info!(outcome = "refused", "graphql websocket operation finished");
                });
                return Some(self.refusal(&id, &error));
            }
        };
        self.generation += 1;
        let generation = self.generation;
        let (abort, registration) = AbortHandle::new_pair();
        let tag = id.clone();
        let stream = self
            .executor
            .execute_stream(request, Some(Arc::new(context.data)));
        let stream = match self.config.operation_timeout {
            Some(limit) if !subscription => with_deadline(stream, limit),
            _ => stream,
        };
        let execution = InSpan {
            inner: stream,
            span: span.clone(),
        };
        let execution = if subscription {
            execution.boxed()
        } else {
            detached(execution)
        };
        let responses = Abortable::new(execution, registration)
            .enumerate()
            .map(|(index, response)| Some((index == 0, response)))
            .chain(stream::once(async { None }))
            .map(move |item| OpEvent {
                id: tag.clone(),
                generation,
                item,
            });
        self.operations.push(responses.boxed());
        self.active.insert(
            id,
            Active {
                generation,
                abort,
                span,
                errors: false,
                rejected: false,
                subscription,
                _ticket: ticket,
            },
        );
        None
    }

    /// The protocol's error for operation `id`, refused before it ran.
    fn refusal(&self, id: &str, error: &ServerError) -> Out {
        match self.protocol {
            Protocol::GraphqlTransportWs => frame(&transport_ws::ServerMessage::Error {
                id,
                payload: std::slice::from_ref(error),
            }),
            Protocol::GraphqlWs => frame(&legacy::ServerMessage::Refused { id, payload: error }),
        }
    }

    /// Forwards one operation result using the queue slot reserved for it.
    fn on_result(&mut self, permit: OwnedPermit<Box<Out>>, event: OpEvent) {
        let OpEvent {
            id,
            generation,
            item,
        } = event;
        // Results of operations the client completed (or replaced) must not reach it.
        let Some(active) = self
            .active
            .get_mut(&id)
            .filter(|a| a.generation == generation)
        else {
            return;
        };
        if let Some((first, response)) = &item {
            active.errors |= !response.errors.is_empty();
            active.rejected |= *first && transport_ws::is_request_error(response);
        }
        let text = match (self.protocol, item) {
            (Protocol::GraphqlTransportWs, Some((true, response)))
                if transport_ws::is_request_error(&response) =>
            {
                // `error` ends the operation and must not be followed by `complete`.
                if let Some(operation) = self.active.remove(&id) {
                    operation.abort.abort();
                    operation.finish("rejected");
                }
                frame(&transport_ws::ServerMessage::Error {
                    id: &id,
                    payload: &response.errors,
                })
            }
            (Protocol::GraphqlTransportWs, Some((_, response))) => {
                frame(&transport_ws::ServerMessage::Next {
                    id: &id,
                    payload: &response,
                })
            }
            // The legacy reference server sends validation errors as `data` then `complete`.
            (Protocol::GraphqlWs, Some((_, response))) => frame(&legacy::ServerMessage::Data {
                id: &id,
                payload: &response,
            }),
            (protocol, None) => {
                if let Some(operation) = self.active.remove(&id) {
                    let outcome = operation.completed();
                    operation.finish(outcome);
                }
                match protocol {
                    Protocol::GraphqlTransportWs => {
                        frame(&transport_ws::ServerMessage::Complete { id: &id })
                    }
                    Protocol::GraphqlWs => frame(&legacy::ServerMessage::Complete { id: &id }),
                }
            }
        };
        permit.send(Box::new(text));
    }

    /// Answers an invalid message: 4400 in graphql-transport-ws, an error message in legacy.
    async fn reject(&mut self, rejection: Rejection) -> ControlFlow<()> {
        match (self.protocol, rejection) {
            (Protocol::GraphqlTransportWs, Rejection::NotJson(reason))
            | (Protocol::GraphqlTransportWs, Rejection::Malformed { reason, .. }) => {
                self.close(4400, &format!("Invalid message received: {reason}"))
                    .await
            }
            // The legacy reference server reports bad messages and keeps the socket open.
            (Protocol::GraphqlWs, Rejection::NotJson(reason)) => {
                self.connection_error(&reason).await
            }
            (Protocol::GraphqlWs, Rejection::Malformed { id, reason }) => {
                let error = legacy::ServerMessage::Error {
                    id: id.as_deref(),
                    payload: legacy::ErrorPayload { message: &reason },
                };
                self.send(frame(&error)).await
            }
        }
    }

    /// Closes with 4403; legacy clients first get `connection_error` with `message`.
    async fn forbid(&mut self, reason: &str, message: &str) -> ControlFlow<()> {
        if self.protocol == Protocol::GraphqlWs {
            self.connection_error(message).await?;
        }
        self.close(4403, reason).await
    }

    async fn connection_error(&mut self, message: &str) -> ControlFlow<()> {
        let error = legacy::ServerMessage::ConnectionError {
            payload: legacy::ErrorPayload { message },
        };
        self.send(frame(&error)).await
    }

    /// Queues a reply (a pong, an acknowledgement, a refusal), waiting at most
    /// `write_stall` for room: the loop runs nothing else meanwhile, so a client that
    /// stopped reading is closed rather than waited for.
    async fn send(&mut self, frame: Out) -> ControlFlow<()> {
        match tokio::time::timeout(self.config.write_stall, self.out.send(Box::new(frame))).await {
            Ok(Ok(())) => ControlFlow::Continue(()),
            Ok(Err(_)) => ControlFlow::Break(()),
            Err(_) => {
                tracing::info!("graphql websocket closed: the client stopped reading");
                ControlFlow::Break(())
            }
        }
    }

    /// Queues a close frame and ends the connection, which drops every running operation.
    async fn close(&mut self, code: u16, reason: &str) -> ControlFlow<()> {
        // Not the reason: it may quote the client's message.
        tracing::debug!(code, "closing graphql websocket");
        let mut end = reason.len().min(MAX_CLOSE_REASON);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        let close = CloseReason {
            code: CloseCode::from(code),
            description: reason.get(..end).map(str::to_owned),
        };
        // A client that stopped reading keeps the queue full; don't wait on it forever.
        let closing = Box::new(Out::Close(Some(close)));
        let _ = tokio::time::timeout(CLOSE_GRACE, self.out.send(closing)).await;
        ControlFlow::Break(())
    }
}

/// Serializes a server message into a text frame.
///
/// The messages hold only strings and JSON values, so this cannot fail in practice; if it ever
/// does, the socket is closed with 1011 rather than sending the client something malformed.
fn frame(message: &impl Serialize) -> Out {
    match serde_json::to_string(message) {
        Ok(text) => Out::Text(text),
        Err(e) => {
            tracing::error!(error = %e, "failed to serialize graphql websocket message");
            Out::Close(Some(CloseReason {
                code: CloseCode::Error,
                description: Some("Internal server error".to_owned()),
            }))
        }
    }
}
