//! Drives one operation at a fixed arrival rate (latency measured from each request's
//! intended start, so a stalled server is not hidden: coordinated omission corrected) or
//! at saturation (C callers back to back), into HDR histograms.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::sync::Semaphore;

/// Why one call did not succeed.
#[derive(Debug)]
pub enum CallError {
    /// The server answered an error, or the transport failed.
    Failed(String),
    /// Nothing left to act on (every agreed action was moved): the caller stops.
    Exhausted,
}

/// One call of an operation; the argument is the call's sequence number.
pub type Call =
    Arc<dyn Fn(u64) -> Pin<Box<dyn Future<Output = Result<(), CallError>> + Send>> + Send + Sync>;

/// A row of the results table.
#[derive(Clone, Debug)]
pub struct Row {
    /// Operation name.
    pub op: String,
    /// `rate 5/s`, `conc 1`, …
    pub mode: String,
    /// Successful calls.
    pub ok: u64,
    /// Failed calls.
    pub errors: u64,
    /// Latencies in microseconds.
    pub hist: Histogram<u64>,
    /// Wall time of the phase.
    pub seconds: f64,
    /// The first error, or what else there is to say.
    pub note: String,
}

/// A fresh histogram: 1 µs to 10 min, 3 significant figures.
pub fn histogram() -> Histogram<u64> {
    // Only more than 5 significant figures or a low bound of 0 can fail.
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

impl Row {
    /// An empty row.
    pub fn new(op: &str, mode: String) -> Self {
        Self {
            op: op.into(),
            mode,
            ok: 0,
            errors: 0,
            hist: histogram(),
            seconds: 0.0,
            note: String::new(),
        }
    }

    /// Median latency in milliseconds.
    pub fn p50_ms(&self) -> f64 {
        self.hist.value_at_quantile(0.5) as f64 / 1000.0
    }

    /// Successful calls per second.
    pub fn rps(&self) -> f64 {
        if self.seconds > 0.0 {
            self.ok as f64 / self.seconds
        } else {
            0.0
        }
    }

    fn record(&mut self, result: Result<Duration, CallError>) -> bool {
        match result {
            Ok(latency) => {
                self.ok += 1;
                let micros = u64::try_from(latency.as_micros())
                    .unwrap_or(u64::MAX)
                    .max(1);
                let _ = self.hist.record(micros.min(600_000_000));
                true
            }
            Err(CallError::Failed(message)) => {
                self.errors += 1;
                if self.note.is_empty() {
                    self.note = message.chars().take(160).collect();
                }
                true
            }
            Err(CallError::Exhausted) => {
                if self.note.is_empty() {
                    self.note = "ran out of rows to act on".into();
                }
                false
            }
        }
    }
}

/// Bounds of a phase, so every loop ends.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// How long the phase lasts.
    pub duration: Duration,
    /// The most calls it makes.
    pub max_requests: u64,
}

/// `rate` calls per second for the phase, each measured from its intended start; at most
/// `max_in_flight` at once (later ones wait, and their wait counts).
pub async fn fixed_rate(
    op: &str,
    call: Call,
    rate: f64,
    bounds: Bounds,
    max_in_flight: usize,
) -> Row {
    let row = Arc::new(Mutex::new(Row::new(op, format!("rate {rate}/s"))));
    let total =
        ((rate * bounds.duration.as_secs_f64()).ceil() as u64).clamp(1, bounds.max_requests.max(1));
    let interval = Duration::from_secs_f64(1.0 / rate.max(0.001));
    let permits = Arc::new(Semaphore::new(max_in_flight.max(1)));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..total {
        let intended = start + interval.mul_f64(i as f64);
        tokio::time::sleep_until(intended.into()).await;
        let Ok(permit) = permits.clone().acquire_owned().await else {
            break;
        };
        let call = call.clone();
        let row = row.clone();
        tasks.push(tokio::spawn(async move {
            let result = call(i).await.map(|()| intended.elapsed());
            let more = row.lock().map(|mut r| r.record(result)).unwrap_or(false);
            drop(permit);
            more
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let mut row = row
        .lock()
        .map(|r| r.clone())
        .unwrap_or_else(|e| e.into_inner().clone());
    row.seconds = start.elapsed().as_secs_f64();
    row
}

/// `concurrency` callers back to back for the phase.
pub async fn saturate(op: &str, call: Call, concurrency: usize, bounds: Bounds) -> Row {
    let row = Arc::new(Mutex::new(Row::new(op, format!("conc {concurrency}"))));
    let issued = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + bounds.duration;
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let call = call.clone();
        let row = row.clone();
        let issued = issued.clone();
        workers.push(tokio::spawn(async move {
            loop {
                let i = issued.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= bounds.max_requests || Instant::now() >= deadline {
                    break;
                }
                let began = Instant::now();
                let result = call(i).await.map(|()| began.elapsed());
                let more = row.lock().map(|mut r| r.record(result)).unwrap_or(false);
                if !more {
                    break;
                }
            }
        }));
    }
    for worker in workers {
        let _ = worker.await;
    }
    let mut row = row
        .lock()
        .map(|r| r.clone())
        .unwrap_or_else(|e| e.into_inner().clone());
    row.seconds = start.elapsed().as_secs_f64();
    row
}

fn ms(hist: &Histogram<u64>, q: f64) -> String {
    if hist.is_empty() {
        "-".into()
    } else {
        format!("{:.1}", hist.value_at_quantile(q) as f64 / 1000.0)
    }
}

/// The results table, in Markdown.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| operation | mode | ok | errors | p50 ms | p95 ms | p99 ms | max ms | rps | note |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for r in rows {
        let max = if r.hist.is_empty() {
            "-".into()
        } else {
            format!("{:.1}", r.hist.max() as f64 / 1000.0)
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {} |\n",
            r.op,
            r.mode,
            r.ok,
            r.errors,
            ms(&r.hist, 0.5),
            ms(&r.hist, 0.95),
            ms(&r.hist, 0.99),
            max,
            r.rps(),
            r.note.replace('|', "/"),
        ));
    }
    out
}
