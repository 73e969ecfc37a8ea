//! Wire messages of the legacy `subscriptions-transport-ws` protocol (subprotocol `graphql-ws`).

use async_graphql::{Response, ServerError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Incoming, Rejection, parse_request};

/// Messages a client may send.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit { payload: Option<Map<String, Value>> },
    Start { id: String, payload: Value },
    Stop { id: String },
    ConnectionTerminate,
}

/// Messages the server sends.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum ServerMessage<'a> {
    ConnectionAck,
    ConnectionError {
        payload: ErrorPayload<'a>,
    },
    Ka,
    Data {
        id: &'a str,
        payload: &'a Response,
    },
    Error {
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<&'a str>,
        payload: ErrorPayload<'a>,
    },
    /// An operation refused before it ran: `error` for its id, with the GraphQL error
    /// (`message` as the reference server sends, and `extensions` with the code).
    #[serde(rename = "error")]
    Refused {
        id: &'a str,
        payload: &'a ServerError,
    },
    Complete {
        id: &'a str,
    },
}

/// The `{ "message": ... }` payload the reference server puts in `error` and `connection_error`.
#[derive(Serialize)]
pub(super) struct ErrorPayload<'a> {
    pub message: &'a str,
}

/// Parses one text frame; the caller answers rejections with `connection_error` or `error`.
pub(super) fn parse(text: &str) -> Result<Incoming, Rejection> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Rejection::NotJson(format!("Message must be JSON-parseable: {e}")))?;
    // Echo the id back when there is one so the client can fail the right operation.
    let id = value.get("id").and_then(Value::as_str).map(str::to_owned);
    let malformed = |reason: String| Rejection::Malformed {
        id: id.clone(),
        reason,
    };
    let message = ClientMessage::deserialize(&value).map_err(|e| malformed(e.to_string()))?;
    Ok(match message {
        ClientMessage::ConnectionInit { payload } => {
            Incoming::Init(payload.map_or(Value::Null, Value::Object))
        }
        ClientMessage::Start { id, payload } => Incoming::Subscribe {
            request: parse_request(payload).map_err(malformed)?,
            id,
        },
        ClientMessage::Stop { id } => Incoming::Complete(id),
        ClientMessage::ConnectionTerminate => Incoming::Terminate,
    })
}
