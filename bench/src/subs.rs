//! Subscribers over graphql-transport-ws (the protocol of `api/src/http/ws/`), the
//! subscription fan-out measurement and the server's memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use uuid::Uuid;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// `ws://…/graphql` for a server at `http://…`.
pub fn ws_url(base: &str) -> String {
    format!(
        "{}/graphql",
        base.trim_end_matches('/').replacen("http", "ws", 1)
    )
}

/// Opens a socket, authenticates and starts one subscription; fails after 20 s.
pub async fn subscribe(
    url: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> anyhow::Result<Socket> {
    let mut request = url.into_client_request()?;
    request
        .headers_mut()
        .insert("sec-websocket-protocol", "graphql-transport-ws".parse()?);
    let patience = Duration::from_secs(20);
    let (mut socket, _) =
        tokio::time::timeout(patience, tokio_tungstenite::connect_async(request)).await??;
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
    socket.send(Message::text(init.to_string())).await?;
    loop {
        let frame = tokio::time::timeout(patience, socket.next())
            .await?
            .ok_or_else(|| anyhow::anyhow!("socket closed before connection_ack"))??;
        match frame {
            Message::Text(text) => {
                let value: Value = serde_json::from_str(&text)?;
                match value["type"].as_str() {
                    Some("connection_ack") => break,
                    Some("ping") => {
                        socket
                            .send(Message::text(json!({"type": "pong"}).to_string()))
                            .await?
                    }
                    _ => anyhow::bail!("unexpected message before ack: {text}"),
                }
            }
            Message::Close(frame) => anyhow::bail!("closed before ack: {frame:?}"),
            _ => {}
        }
    }
    let subscribe = json!({ "id": "1", "type": "subscribe", "payload": { "query": query, "variables": variables } });
    socket.send(Message::text(subscribe.to_string())).await?;
    Ok(socket)
}

/// One delivered event: which subscriber, which action it names, when it arrived.
#[derive(Debug)]
pub struct Delivery {
    /// Index of the subscriber.
    pub subscriber: usize,
    /// The action the event names, when there is one.
    pub action: Option<Uuid>,
    /// When it arrived.
    pub at: Instant,
}

/// The row id inside a `PlanAction` global id (base64url of `PlanAction:<uuid>`).
fn action_of_global_id(id: &str) -> Option<Uuid> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    Uuid::parse_str(text.strip_prefix("PlanAction:")?).ok()
}

/// Reads a subscriber's socket until it closes or `stop` passes, sending what arrives.
pub fn drain(
    subscriber: usize,
    mut socket: Socket,
    deliveries: mpsc::UnboundedSender<Delivery>,
    errors: Arc<Mutex<Vec<String>>>,
    stop: Instant,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let left = stop.saturating_duration_since(Instant::now());
            let Ok(Some(Ok(frame))) = tokio::time::timeout(left, socket.next()).await else {
                break;
            };
            let Message::Text(text) = frame else {
                if let Message::Close(frame) = frame {
                    if let Ok(mut e) = errors.lock() {
                        e.push(format!("subscriber {subscriber} closed: {frame:?}"));
                    }
                    break;
                }
                continue;
            };
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            match value["type"].as_str() {
                Some("next") => {
                    let at = Instant::now();
                    if let Some(errs) = value["payload"]["errors"].get(0) {
                        if let Ok(mut e) = errors.lock() {
                            e.push(format!("subscriber {subscriber}: {errs}"));
                        }
                        continue;
                    }
                    let event = &value["payload"]["data"]["planEvents"];
                    // The payload's global id of the action: the typed `action` field
                    // would read the action once per subscriber, and this measures
                    // delivery.
                    let action = event["payload"]
                        .as_str()
                        .and_then(|p| serde_json::from_str::<Value>(p).ok())
                        .and_then(|p| p["actionId"].as_str().and_then(action_of_global_id));
                    let _ = deliveries.send(Delivery {
                        subscriber,
                        action,
                        at,
                    });
                }
                Some("ping") => {
                    let _ = socket
                        .send(Message::text(json!({"type": "pong"}).to_string()))
                        .await;
                }
                Some("error") | Some("complete") => {
                    if let Ok(mut e) = errors.lock() {
                        e.push(format!("subscriber {subscriber}: {text}"));
                    }
                    break;
                }
                _ => {}
            }
        }
        let _ = socket.close(None).await;
    })
}

/// What the fan-out found.
#[derive(Debug, Default)]
pub struct FanoutResult {
    /// Expected deliveries (mutations × subscribers of their plan).
    pub expected: u64,
    /// Deliveries that never came.
    pub missing: u64,
    /// Deliveries that came more than once.
    pub duplicated: u64,
}

/// Each mutation's action, the subscribers of its plan, and when its answer arrived.
pub type Mutations = HashMap<Uuid, (Vec<usize>, Instant)>;

/// Counts missing and duplicated deliveries of `mutations` (action → plan subscribers),
/// and records each delivery's latency from the mutation's response.
pub fn reconcile(
    mutations: &Mutations,
    deliveries: &[Delivery],
    latency: &mut hdrhistogram::Histogram<u64>,
) -> FanoutResult {
    let mut seen: HashMap<(usize, Uuid), u64> = HashMap::new();
    for d in deliveries {
        let Some(action) = d.action else { continue };
        let Some((_, answered)) = mutations.get(&action) else {
            continue;
        };
        *seen.entry((d.subscriber, action)).or_default() += 1;
        let micros = u64::try_from(d.at.saturating_duration_since(*answered).as_micros())
            .unwrap_or(u64::MAX)
            .clamp(1, 600_000_000);
        let _ = latency.record(micros);
    }
    let mut result = FanoutResult::default();
    for (action, (subscribers, _)) in mutations {
        for s in subscribers {
            result.expected += 1;
            match seen.get(&(*s, *action)).copied().unwrap_or(0) {
                0 => result.missing += 1,
                1 => {}
                _ => result.duplicated += 1,
            }
        }
    }
    result
}

/// The resident set size of process `pid`, in kB (`VmRSS` of `/proc/<pid>/status`).
pub fn rss_kb(pid: u32) -> Option<u64> {
    status_kb(pid, "VmRSS:")
}

/// The process's own resident memory, in kB (`RssAnon`): without the file pages it maps,
/// which SQLite's memory-mapped reads add to `VmRSS` once per connection.
pub fn rss_anon_kb(pid: u32) -> Option<u64> {
    status_kb(pid, "RssAnon:")
}

fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The process listening on 127.0.0.1:`port` (or any address), from `/proc`.
pub fn pid_listening_on(port: u16) -> Option<u32> {
    let mut inodes = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 10 || fields[3] != "0A" {
                continue;
            }
            let local_port = fields[1]
                .rsplit(':')
                .next()
                .and_then(|p| u16::from_str_radix(p, 16).ok());
            if local_port == Some(port) {
                inodes.push(format!("socket:[{}]", fields[9]));
            }
        }
    }
    if inodes.is_empty() {
        return None;
    }
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            if let Ok(target) = std::fs::read_link(fd.path())
                && inodes.iter().any(|i| target.to_string_lossy() == *i)
            {
                return Some(pid);
            }
        }
    }
    None
}
