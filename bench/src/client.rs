//! GraphQL over HTTP, as a client of Concord sends it.
//!
//! The load generator shares the machine with the server it measures, so the hot reads
//! ([`Gql::send_ok`], and PostGraphile's caseload through [`check`]) only check an answer
//! for errors: they scan the body without building a JSON tree of it. An answer the
//! caller reads ([`Gql::send`]) is parsed in full.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};

use crate::load::CallError;

/// One server's `/graphql`.
#[derive(Clone, Debug)]
pub struct Gql {
    client: reqwest::Client,
    url: String,
}

/// The first of a GraphQL answer's errors, as much of it as a failure reports.
#[derive(Deserialize)]
struct FirstError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    extensions: Option<ErrorExtensions>,
}

#[derive(Deserialize)]
struct ErrorExtensions {
    #[serde(default)]
    code: Option<String>,
}

/// A GraphQL answer read only for its errors.
#[derive(Deserialize)]
struct Checked {
    #[serde(default)]
    data: Option<IgnoredAny>,
    #[serde(default)]
    errors: Option<Vec<FirstError>>,
}

/// A failure for an answer with `errors`, a non-2xx status or no `data`; `Ok` otherwise.
pub fn check(status: reqwest::StatusCode, body: &[u8]) -> Result<(), CallError> {
    let answer: Checked = serde_json::from_slice(body)
        .map_err(|e| CallError::Failed(format!("HTTP {status}: body: {e}")))?;
    if let Some(error) = answer.errors.as_ref().and_then(|errors| errors.first()) {
        return Err(CallError::Failed(format!(
            "HTTP {status}: {} {}",
            error
                .extensions
                .as_ref()
                .and_then(|e| e.code.as_deref())
                .unwrap_or("-"),
            error.message
        )));
    }
    if !status.is_success() {
        return Err(CallError::Failed(format!("HTTP {status}")));
    }
    if answer.data.is_none() {
        return Err(CallError::Failed(format!("HTTP {status}: no data")));
    }
    Ok(())
}

impl Gql {
    /// A client of the server at `base` (`http://127.0.0.1:8080`).
    pub fn new(base: &str) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .timeout(std::time::Duration::from_secs(120))
            .build()?;
        Ok(Self {
            client,
            url: format!("{}/graphql", base.trim_end_matches('/')),
        })
    }

    /// Sends one document and reads the answer's status and body.
    async fn post<T>(
        &self,
        token: &str,
        query: &str,
        variables: Value,
        read: impl FnOnce(reqwest::StatusCode, &[u8]) -> Result<T, CallError>,
    ) -> Result<T, CallError> {
        let response = self
            .client
            .post(&self.url)
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .map_err(|e| CallError::Failed(format!("transport: {e}")))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| CallError::Failed(format!("HTTP {status}: body: {e}")))?;
        read(status, &body)
    }

    /// Sends one document and returns its `data`; an answer with `errors` is a failure.
    pub async fn send(
        &self,
        token: &str,
        query: &str,
        variables: Value,
    ) -> Result<Value, CallError> {
        self.post(token, query, variables, |status, body| {
            check(status, body)?;
            let mut answer: Value = serde_json::from_slice(body)
                .map_err(|e| CallError::Failed(format!("HTTP {status}: body: {e}")))?;
            Ok(answer["data"].take())
        })
        .await
    }

    /// Sends one document whose answer is not read: only checked for errors.
    pub async fn send_ok(
        &self,
        token: &str,
        query: &str,
        variables: Value,
    ) -> Result<(), CallError> {
        self.post(token, query, variables, check).await
    }
}
