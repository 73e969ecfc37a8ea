//! `GET /metrics`: the Prometheus text format (see `crate::metrics` for what is in it).
//!
//! Who may read it: with `CONCORD_METRICS_TOKEN` set, a request carrying
//! `Authorization: Bearer <that token>`; without it, anyone in development mode (which
//! listens on loopback only) and no one in production, where the route answers 404. The
//! metrics hold no case data (counts, latencies, pool use, GraphQL operation names), but
//! they tell how the service is used, so they are not public by default.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::metrics::{Sources, handle};

/// Who may read `/metrics`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MetricsAccess {
    /// No one: 404.
    Off,
    /// Anyone who reaches the server.
    Open,
    /// A request with this bearer token.
    Bearer(&'static str),
}

impl std::fmt::Debug for MetricsAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Off => f.write_str("Off"),
            Self::Open => f.write_str("Open"),
            Self::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

/// What the `/metrics` route needs.
pub struct MetricsState {
    /// Who may read it.
    pub access: MetricsAccess,
    /// What is measured when it is read.
    pub sources: Sources,
}

/// Registers `/metrics`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/metrics", web::get().to(metrics));
}

/// Equal in time independent of where two byte strings first differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn metrics(state: web::Data<MetricsState>, req: HttpRequest) -> HttpResponse {
    match state.access {
        MetricsAccess::Off => return HttpResponse::NotFound().finish(),
        MetricsAccess::Open => {}
        MetricsAccess::Bearer(token) => {
            let sent = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim);
            if !sent.is_some_and(|sent| same(sent.as_bytes(), token.as_bytes())) {
                return HttpResponse::Unauthorized()
                    .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
                    .body("send the metrics token as Authorization: Bearer <token>\n");
            }
        }
    }
    let Some(handle) = handle() else {
        return HttpResponse::ServiceUnavailable().body("metrics recorder not installed\n");
    };
    state.sources.measure().await;
    handle.run_upkeep();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(handle.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
        assert!(!same(b"", b"a"));
    }
}
