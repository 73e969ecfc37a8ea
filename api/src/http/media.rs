//! Content negotiation of GraphQL over HTTP: which media type a response is sent as, and
//! request-level errors in that type.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

pub(super) const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub(super) const JSON: &str = "application/json";

/// The response media type the client accepts.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) enum Media {
    GraphqlResponseJson,
    Json,
}

impl Media {
    pub(super) fn content_type(self) -> &'static str {
        match self {
            Media::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            Media::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response media type from `Accept`; `None` when nothing acceptable is named.
/// No `Accept` means `application/json`, as the specification advises for legacy clients.
pub(super) fn negotiate(req: &HttpRequest) -> Option<Media> {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return Some(Media::Json);
    };
    let mut best = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let mime = parts.next().unwrap_or_default().to_ascii_lowercase();
        let refused = parts.any(|p| p.replace(' ', "").eq_ignore_ascii_case("q=0"));
        if refused {
            continue;
        }
        match mime.as_str() {
            GRAPHQL_RESPONSE_JSON => return Some(Media::GraphqlResponseJson),
            JSON | "application/*" | "*/*" => best = Some(Media::Json),
            _ => {}
        }
    }
    best
}

/// A request-level error (before execution), as a GraphQL response body.
pub(super) fn request_error(
    status: StatusCode,
    media: Media,
    code: &str,
    message: &str,
) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, media.content_type()))
        .json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))
}
