//! Browsers on other origins: CORS for HTTP requests (through `actix-cors`), and the same
//! allow-list for the `Origin` of a WebSocket upgrade, which browsers do not preflight.
//!
//! Tokens travel in the `Authorization` header, never in cookies, so no credentials are
//! allowed. A request from an origin that is not listed still reaches the handler (a browser
//! only sends it without a preflight when it carries no token and no JSON body, which
//! Concord refuses anyway), but its response has no `Access-Control-Allow-Origin`, so the
//! page cannot read it; a preflight from such an origin is answered 400.

use actix_cors::Cors;
use actix_web::HttpRequest;
use actix_web::http::{Method, header};

use crate::config::Mode;

/// The local development servers front ends usually run on, allowed in development mode.
pub const DEVELOPMENT_ORIGINS: [&str; 6] = [
    "http://localhost:3000",
    "http://127.0.0.1:3000",
    "http://localhost:5173",
    "http://127.0.0.1:5173",
    "http://localhost:8080",
    "http://127.0.0.1:8080",
];

/// How long a browser may cache a preflight answer, in seconds.
const PREFLIGHT_MAX_AGE: usize = 600;

/// The origins whose pages may call Concord: the configured ones, plus the local
/// development servers in development mode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowedOrigins(Vec<String>);

impl AllowedOrigins {
    /// The configured origins (already checked by [`parse_origin`]), and in development
    /// mode [`DEVELOPMENT_ORIGINS`] too.
    pub fn new(configured: &[String], mode: Mode) -> Self {
        let mut origins: Vec<String> = configured.to_vec();
        if mode == Mode::Development {
            origins.extend(DEVELOPMENT_ORIGINS.iter().map(|o| (*o).to_owned()));
        }
        origins.sort();
        origins.dedup();
        Self(origins)
    }

    /// Whether `origin` is on the list (exactly: browsers send it normalised).
    pub fn allows(&self, origin: &str) -> bool {
        self.0.iter().any(|allowed| allowed == origin)
    }

    /// The CORS middleware for this list.
    pub fn middleware(&self) -> Cors {
        let mut cors = Cors::default()
            .allowed_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allowed_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::ACCEPT,
                header::HeaderName::from_static("x-request-id"),
            ])
            .expose_headers([
                header::HeaderName::from_static("x-request-id"),
                header::RETRY_AFTER,
                header::WWW_AUTHENTICATE,
            ])
            .max_age(PREFLIGHT_MAX_AGE);
        for origin in &self.0 {
            cors = cors.allowed_origin(origin);
        }
        cors
    }

    /// Whether a WebSocket upgrade may go ahead: no `Origin` (not a browser), an `Origin`
    /// on the list, or one naming the host the request was sent to (Concord's own
    /// GraphiQL, whatever scheme a proxy in front of it terminates).
    pub fn allows_websocket(&self, req: &HttpRequest) -> bool {
        let Some(origin) = req.headers().get(header::ORIGIN) else {
            return true;
        };
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        if self.allows(origin) {
            return true;
        }
        let authority = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
    }
}

/// Checks one configured origin: `http` or `https`, a host, an optional port, and nothing
/// else (no path, no trailing slash, no wildcard), as browsers send it in `Origin`.
pub fn parse_origin(value: &str) -> Result<String, String> {
    let value = value.trim();
    let refuse = || {
        format!(
            "`{value}` is not an origin: write it as a browser sends it, \
             scheme://host[:port], e.g. https://app.example.org"
        )
    };
    let (scheme, authority) = value.split_once("://").ok_or_else(refuse)?;
    // `[v6 address]:port` or `host:port`, the port optional.
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let (address, after) = rest.split_once(']').ok_or_else(refuse)?;
            let port = match after {
                "" => None,
                after => Some(after.strip_prefix(':').ok_or_else(refuse)?),
            };
            let v6 = !address.is_empty()
                && address
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
            (if v6 { "v6" } else { "" }, port)
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    if !matches!(scheme, "http" | "https") || !host_ok || !port_ok {
        return Err(refuse());
    }
    Ok(value.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_written_as_browsers_send_them() {
        assert_eq!(
            parse_origin(" https://App.Example.org ").as_deref(),
            Ok("https://app.example.org")
        );
        assert_eq!(
            parse_origin("http://localhost:3000").as_deref(),
            Ok("http://localhost:3000")
        );
        assert_eq!(
            parse_origin("http://[::1]:8080").as_deref(),
            Ok("http://[::1]:8080")
        );
        for bad in [
            "",
            "*",
            "app.example.org",
            "https://app.example.org/",
            "https://app.example.org/path",
            "ftp://app.example.org",
            "https://*.example.org",
            "https://app.example.org:0",
            "https://app.example.org:99999",
            "https://",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn production_allows_only_what_is_configured() {
        let origins = AllowedOrigins::new(&["https://app.example.org".into()], Mode::Production);
        assert!(origins.allows("https://app.example.org"));
        assert!(!origins.allows("http://localhost:3000"));
        assert!(!AllowedOrigins::new(&[], Mode::Production).allows("http://localhost:3000"));
    }

    #[test]
    fn development_adds_the_local_dev_servers() {
        let origins = AllowedOrigins::new(&["https://app.example.org".into()], Mode::Development);
        assert!(origins.allows("https://app.example.org"));
        assert!(origins.allows("http://localhost:5173"));
        assert!(!origins.allows("http://localhost:4000"));
    }
}
