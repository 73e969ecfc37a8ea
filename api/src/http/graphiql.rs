//! `/graphiql`: GraphiQL served entirely by Concord, so that it works on a closed network.
//!
//! GraphiQL and React are vendored in `api/assets/graphiql/` (versions, licences and how to
//! update them are in its README) and embedded in the binary. The page loads nothing from
//! another host, and its `Content-Security-Policy` forbids it: the page's own start-up code
//! is a served file, so no inline script is allowed either.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use std::sync::Arc;

use super::AppState;
use crate::config::Mode;

/// Where the assets are served.
const ASSETS: &str = "/graphiql/assets";

/// One embedded file.
struct Asset {
    /// Its name under [`ASSETS`]; vendored files carry their version in it.
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
    /// Whether the file never changes under this name (a vendored, versioned build), so
    /// that browsers may keep it for a year.
    immutable: bool,
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

static FILES: [Asset; 6] = [
    Asset {
        name: "react-18.3.1.production.min.js",
        content_type: JS,
        body: include_bytes!("../../assets/graphiql/react.production.min.js"),
        immutable: true,
    },
    Asset {
        name: "react-dom-18.3.1.production.min.js",
        content_type: JS,
        body: include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
        immutable: true,
    },
    Asset {
        name: "graphiql-3.9.0.min.js",
        content_type: JS,
        body: include_bytes!("../../assets/graphiql/graphiql.min.js"),
        immutable: true,
    },
    Asset {
        name: "graphiql-3.9.0.min.css",
        content_type: CSS,
        body: include_bytes!("../../assets/graphiql/graphiql.min.css"),
        immutable: true,
    },
    // Concord's own files change with Concord under the same name: revalidated each time.
    Asset {
        name: "concord-graphiql.js",
        content_type: JS,
        body: include_bytes!("../../assets/graphiql/concord-graphiql.js"),
        immutable: false,
    },
    Asset {
        name: "concord-graphiql.css",
        content_type: CSS,
        body: include_bytes!("../../assets/graphiql/concord-graphiql.css"),
        immutable: false,
    },
];

/// Registers `/graphiql` and its assets.
pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphiql", web::get().to(page))
        .route("/graphiql/assets/{name}", web::get().to(asset));
}

/// The page: links to the assets, the mode for the start-up script, and the policy.
async fn page(state: web::Data<Arc<AppState>>) -> HttpResponse {
    let mode = match state.mode {
        Mode::Development => "development",
        Mode::Production => "production",
    };
    let html = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Concord GraphiQL</title>
<link rel="stylesheet" href="{ASSETS}/graphiql-3.9.0.min.css">
<link rel="stylesheet" href="{ASSETS}/concord-graphiql.css">
</head>
<body>
<div id="graphiql" data-mode="{mode}">Loading GraphiQL…</div>
<script src="{ASSETS}/react-18.3.1.production.min.js"></script>
<script src="{ASSETS}/react-dom-18.3.1.production.min.js"></script>
<script src="{ASSETS}/graphiql-3.9.0.min.js"></script>
<script src="{ASSETS}/concord-graphiql.js"></script>
</body>
</html>
"#
    );
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"));
    response.insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY));
    response.body(html)
}

/// Everything from this origin only: scripts and styles from files (no inline script),
/// fonts and icons as `data:` URLs inside GraphiQL's stylesheet, and requests to this origin
/// over HTTP and WebSocket (`'self'` matches `ws:`/`wss:` to the same host, as CSP Level 3
/// says). A constant: nothing from the request (not even its `Host`) reaches the header.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// One embedded file, or 404.
async fn asset(name: web::Path<String>) -> HttpResponse {
    let Some(file) = FILES.iter().find(|file| file.name == name.as_str()) else {
        return HttpResponse::NotFound().finish();
    };
    let cache = if file.immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, file.content_type))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(file.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_this_origin_only() {
        assert!(CONTENT_SECURITY_POLICY.contains("connect-src 'self';"));
        assert!(CONTENT_SECURITY_POLICY.contains("script-src 'self';"));
        assert!(CONTENT_SECURITY_POLICY.starts_with("default-src 'none';"));
        assert!(!CONTENT_SECURITY_POLICY.contains('*'));
    }

    #[test]
    fn every_linked_asset_is_embedded() {
        for file in &FILES {
            assert!(!file.body.is_empty(), "{}", file.name);
        }
    }
}
