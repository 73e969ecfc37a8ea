//! Wire messages of `graphql-transport-ws` (the `graphql-ws` library's protocol).

use async_graphql::{Response, ServerError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Incoming, Rejection, parse_request};

/// Messages a client may send; the spec allows `payload` only as an object or null.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        payload: Option<Map<String, Value>>,
    },
    Ping {
        payload: Option<Map<String, Value>>,
    },
    // Pongs are ignored, but their payload is still validated like a ping's.
    Pong {
        #[serde(rename = "payload")]
        _payload: Option<Map<String, Value>>,
    },
    Subscribe {
        id: String,
        payload: Value,
    },
    Complete {
        id: String,
    },
}

/// Messages the server sends.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum ServerMessage<'a> {
    ConnectionAck,
    Ping,
    Pong {
        // The reference server omits `payload` entirely when the ping had none.
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<&'a Map<String, Value>>,
    },
    Next {
        id: &'a str,
        payload: &'a Response,
    },
    Error {
        id: &'a str,
        payload: &'a [ServerError],
    },
    Complete {
        id: &'a str,
    },
}

/// Parses one text frame; every rejection becomes a 4400 close.
pub(super) fn parse(text: &str) -> Result<Incoming, Rejection> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| Rejection::NotJson(format!("invalid JSON: {e}")))?;
    let malformed = |reason: String| Rejection::Malformed { id: None, reason };
    let message = ClientMessage::deserialize(&value).map_err(|e| malformed(e.to_string()))?;
    Ok(match message {
        ClientMessage::ConnectionInit { payload } => {
            Incoming::Init(payload.map_or(Value::Null, Value::Object))
        }
        ClientMessage::Ping { payload } => Incoming::Ping(payload),
        ClientMessage::Pong { .. } => Incoming::Pong,
        ClientMessage::Subscribe { id, payload } => {
            let id = non_empty(id).map_err(malformed)?;
            let request = parse_request(payload).map_err(malformed)?;
            Incoming::Subscribe { id, request }
        }
        ClientMessage::Complete { id } => Incoming::Complete(non_empty(id).map_err(malformed)?),
    })
}

/// The reference server treats an empty id as missing.
fn non_empty(id: String) -> Result<String, String> {
    if id.is_empty() {
        Err("\"id\" must be a non-empty string".to_owned())
    } else {
        Ok(id)
    }
}

/// Whether the first response of an operation failed before execution began.
///
/// async-graphql reports parse and validation failures as a response with null data and errors
/// without a path, whereas resolver errors always carry the path of the failing field; the spec
/// wants the former as an `error` message (and no `complete`).
pub(super) fn is_request_error(response: &Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}
