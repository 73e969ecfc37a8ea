//! Rate limits, so that no caller can crowd out the others: one keyed GCRA limiter per
//! client address (counted by a middleware before anything else, for every route but
//! `/healthz`) and one per token subject (counted once the token's signature is verified,
//! and for every operation sent over a WebSocket). Refused requests count too: a flood of
//! bad tokens or denied queries spends the sender's budget like any other request.
//!
//! An over-limit request is answered `429` with `Retry-After` (seconds) and
//! `{"errors":[{"message":…,"extensions":{"code":"RATE_LIMITED","retryAfter":…}}]}`; an
//! over-limit WebSocket operation gets that error as the protocol's error for its id.
//! Refusals are logged, not written to the audit log: a row per refused request would
//! turn the flood the limit stops into database writes.
//!
//! IPv6 clients are counted per /64, the block one subscriber usually holds, so that a
//! client cannot step around its limit by changing the low bits of its address. Behind a
//! proxy every client has the proxy's address: switch the per-address limits off there.
//!
//! Connections are capped per address too. actix-web times the headers of a connection's
//! first request only, so a client could send one request, then part of a second, and hold
//! the connection for ever; beyond the cap an address's further connections serve one
//! request each and are closed (a WebSocket upgrade on one is refused with
//! `TOO_MANY_CONNECTIONS`), so that one address holds at most the cap for long.

use std::any::Any;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::Extensions;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{ConnectionType, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage as _, HttpResponse, web};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use serde_json::json;

use super::AppState;

/// A rate: requests per minute and how many may come at once; off when `per_minute` is 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// Requests per minute, replenished evenly; 0 switches the limit off.
    pub per_minute: u32,
    /// Requests that may come at once (at least 1).
    pub burst: u32,
}

impl Rate {
    /// No limit.
    pub const OFF: Rate = Rate {
        per_minute: 0,
        burst: 1,
    };

    fn quota(self) -> Option<Quota> {
        let per_minute = NonZeroU32::new(self.per_minute)?;
        let burst = NonZeroU32::new(self.burst).unwrap_or(NonZeroU32::MIN);
        Some(Quota::per_minute(per_minute).allow_burst(burst))
    }
}

/// How long an over-limit caller should wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, rounded up, at least 1: what `Retry-After` carries.
    pub fn seconds(self) -> u64 {
        let secs = self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0);
        secs.max(1)
    }

    /// The GraphQL error of a refused request.
    pub fn error(self) -> async_graphql::ServerError {
        let mut error = async_graphql::ServerError::new(
            "too many requests; slow down and retry after the time given",
            None,
        );
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", "RATE_LIMITED");
        extensions.set("retryAfter", self.seconds());
        error.extensions = Some(extensions);
        error
    }
}

/// The per-subject and per-address limiters of one server.
pub struct RateLimits {
    per_subject: Option<DefaultKeyedRateLimiter<String>>,
    per_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

impl RateLimits {
    /// Limiters for the given rates; a rate of 0 per minute has none.
    pub fn new(per_subject: Rate, per_address: Rate) -> Self {
        Self {
            per_subject: per_subject.quota().map(DefaultKeyedRateLimiter::keyed),
            per_address: per_address.quota().map(DefaultKeyedRateLimiter::keyed),
        }
    }

    /// Counts one request of `subject`.
    pub fn check_subject(&self, subject: &str) -> Result<(), RetryAfter> {
        let Some(limiter) = &self.per_subject else {
            return Ok(());
        };
        limiter.check_key(&subject.to_owned()).map_err(|not_until| {
            crate::metrics::rate_limited("subject");
            RetryAfter(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }

    /// Counts one request from `ip`.
    pub fn check_address(&self, ip: IpAddr) -> Result<(), RetryAfter> {
        let Some(limiter) = &self.per_address else {
            return Ok(());
        };
        limiter.check_key(&address_key(ip)).map_err(|not_until| {
            crate::metrics::rate_limited("address");
            RetryAfter(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }

    /// Forgets callers whose budget is full again, so that memory follows the callers of
    /// the last minute, not every caller ever seen.
    fn sweep(&self) {
        if let Some(limiter) = &self.per_subject {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        if let Some(limiter) = &self.per_address {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// Sweeps every minute until the limits are dropped with the server.
    pub fn start_sweeping(limits: &Arc<RateLimits>) {
        let limits: Weak<RateLimits> = Arc::downgrade(limits);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            tick.tick().await;
            loop {
                tick.tick().await;
                match limits.upgrade() {
                    Some(limits) => limits.sweep(),
                    None => return,
                }
            }
        });
    }
}

/// The key an address is counted under: IPv4 as it is (also when mapped into IPv6),
/// IPv6 by its /64.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !u128::from(u64::MAX);
                IpAddr::V6(Ipv6Addr::from(prefix))
            }
        },
    }
}

/// `429 Too Many Requests` with `Retry-After` and the GraphQL error body.
pub fn too_many_requests(retry: RetryAfter, request_id: Option<&str>) -> HttpResponse {
    let mut response = HttpResponse::TooManyRequests();
    response
        .insert_header((header::RETRY_AFTER, retry.seconds().to_string()))
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"));
    if let Some(id) = request_id
        && let Ok(value) = header::HeaderValue::from_str(id)
    {
        response.insert_header(("x-request-id", value));
    }
    response.json(json!({ "errors": [retry.error()] }))
}

/// Where a connection stands with its address's connection cap; kept in the connection's
/// data, so a counted connection's slot is freed when the connection closes.
pub enum ConnectionStanding {
    /// Within the cap.
    Counted(Slot<IpAddr>),
    /// Beyond it: each request is answered with the connection closed after it.
    OverCap,
}

/// Counts a new connection against its address's cap (`HttpServer::on_connect`).
pub fn on_connect(slots: &Arc<Slots<IpAddr>>, connection: &dyn Any, data: &mut Extensions) {
    let Some(peer) = connection
        .downcast_ref::<actix_web::rt::net::TcpStream>()
        .and_then(|tcp| tcp.peer_addr().ok())
    else {
        return;
    };
    let standing = match slots.acquire(&address_key(peer.ip())) {
        Some(slot) => ConnectionStanding::Counted(slot),
        None => ConnectionStanding::OverCap,
    };
    data.insert(standing);
}

fn too_many_connections(request_id: Option<&str>) -> HttpResponse {
    crate::metrics::rate_limited("connections");
    let mut response = HttpResponse::TooManyRequests();
    response
        .force_close()
        .insert_header((header::RETRY_AFTER, "1"))
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"));
    if let Some(id) = request_id
        && let Ok(value) = header::HeaderValue::from_str(id)
    {
        response.insert_header(("x-request-id", value));
    }
    response.json(json!({ "errors": [{
        "message": "too many open connections from this address; close some and retry",
        "extensions": { "code": "TOO_MANY_CONNECTIONS" },
    }] }))
}

/// The per-address limits: the rate, for every route but `/healthz` (a liveness probe must
/// never be refused, or an orchestrator would restart a server that is merely busy), and
/// the connection cap.
pub async fn per_address(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let over_cap = matches!(
        req.conn_data::<ConnectionStanding>(),
        Some(ConnectionStanding::OverCap)
    );
    let refused = match (
        req.path() == "/healthz",
        req.peer_addr(),
        req.app_data::<web::Data<Arc<AppState>>>(),
    ) {
        (false, Some(peer), Some(state)) => state.rate_limits.check_address(peer.ip()).err(),
        _ => None,
    };
    match refused {
        Some(retry) => {
            let request_id = req
                .extensions()
                .get::<tracing_actix_web::RequestId>()
                .map(ToString::to_string);
            tracing::info!(
                address = %req.peer_addr().map(|p| address_key(p.ip()).to_string()).unwrap_or_default(),
                retry_after = retry.seconds(),
                "request rate limited by address"
            );
            let response = too_many_requests(retry, request_id.as_deref());
            Ok(req.into_response(response).map_into_right_body())
        }
        None if over_cap => {
            let upgrade = req
                .headers()
                .get(header::UPGRADE)
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"));
            if upgrade {
                let request_id = req
                    .extensions()
                    .get::<tracing_actix_web::RequestId>()
                    .map(ToString::to_string);
                tracing::info!("websocket refused: too many connections from its address");
                let response = too_many_connections(request_id.as_deref());
                return Ok(req.into_response(response).map_into_right_body());
            }
            let mut response = next.call(req).await?;
            response
                .response_mut()
                .head_mut()
                .set_connection_type(ConnectionType::Close);
            Ok(response.map_into_left_body())
        }
        None => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
    }
}

/// Counted holdings per key (subscriptions per subject, connections per address), each
/// at most `max`; a holding's slot is freed when its [`Slot`] is dropped.
pub struct Slots<K: Hash + Eq + Clone> {
    max: usize,
    held: Mutex<HashMap<K, usize>>,
}

/// One holding of a key; its slot is freed when this is dropped.
pub struct Slot<K: Hash + Eq + Clone> {
    slots: Arc<Slots<K>>,
    key: K,
}

/// Subscriptions running per token subject over every WebSocket of this process.
pub type SubscriptionSlots = Slots<String>;

impl<K: Hash + Eq + Clone> Slots<K> {
    /// At most `max` holdings per key.
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(Self {
            max,
            held: Mutex::new(HashMap::new()),
        })
    }

    /// The most a key may hold.
    pub fn max(&self) -> usize {
        self.max
    }

    /// A slot for one more holding of `key`, or `None` when it holds `max` already.
    pub fn acquire(self: &Arc<Self>, key: &K) -> Option<Slot<K>> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let count = held.entry(key.clone()).or_insert(0);
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(Slot {
            slots: Arc::clone(self),
            key: key.clone(),
        })
    }

    /// How many slots `key` holds now.
    pub fn held(&self, key: &K) -> usize {
        let held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.get(key).copied().unwrap_or(0)
    }
}

impl<K: Hash + Eq + Clone> Drop for Slot<K> {
    fn drop(&mut self) {
        let mut held = self
            .slots
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = held.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                held.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_counted_per_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
        let other: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(
            address_key(mapped),
            "192.0.2.7".parse::<IpAddr>().expect("ip")
        );
    }

    #[test]
    fn a_burst_beyond_the_limit_is_refused_per_key_and_off_limits_nothing() {
        let limits = RateLimits::new(
            Rate {
                per_minute: 60,
                burst: 3,
            },
            Rate::OFF,
        );
        for _ in 0..3 {
            assert!(limits.check_subject("a").is_ok());
        }
        let retry = limits.check_subject("a").expect_err("over the burst");
        assert!((1..=60).contains(&retry.seconds()), "{retry:?}");
        assert!(limits.check_subject("b").is_ok(), "another subject");
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        for _ in 0..1000 {
            assert!(limits.check_address(ip).is_ok(), "no address limit");
        }
    }

    #[test]
    fn a_subjects_slots_are_freed_when_dropped() {
        let slots = SubscriptionSlots::new(2);
        let a = "a".to_owned();
        let first = slots.acquire(&a).expect("first");
        let second = slots.acquire(&a).expect("second");
        assert!(slots.acquire(&a).is_none());
        assert!(slots.acquire(&"b".to_owned()).is_some(), "another subject");
        drop(first);
        assert_eq!(slots.held(&a), 1);
        let third = slots.acquire(&a).expect("freed");
        drop((second, third));
        assert_eq!(slots.held(&a), 0);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(RetryAfter(Duration::from_millis(1)).seconds(), 1);
        assert_eq!(RetryAfter(Duration::ZERO).seconds(), 1);
        assert_eq!(RetryAfter(Duration::from_millis(2001)).seconds(), 3);
    }
}
