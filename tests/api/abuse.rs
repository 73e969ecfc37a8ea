//! Nothing one caller sends can hurt the others (issue 9): rate limits per subject and per
//! address, slow clients and the connection cap, subscriptions per socket and per subject,
//! what the schema tells about itself, and the per-request time limit. Each test passes the
//! options it exercises; the rest of the suite runs with the defaults.

mod rate_limits;
mod schema;
mod settings;
mod slow_clients;
mod subscriptions;
mod timeouts;

use api::app::ServerOptions;
use api::http::throttle::Rate;

/// The default options with the rate limits and the per-address connection cap off, for
/// tests about something else.
pub fn unlimited() -> ServerOptions {
    ServerOptions {
        rate_per_subject: Rate::OFF,
        rate_per_address: Rate::OFF,
        max_connections_per_address: 0,
        ..ServerOptions::default()
    }
}
