//! GraphQL over HTTP, as a client of Concord sends it.

use serde_json::{Value, json};

use crate::load::CallError;

/// One server's `/graphql`.
#[derive(Clone, Debug)]
pub struct Gql {
    client: reqwest::Client,
    url: String,
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

    /// Sends one document; an answer with `errors` is a failure.
    pub async fn send(
        &self,
        token: &str,
        query: &str,
        variables: Value,
    ) -> Result<Value, CallError> {
        let response = self
            .client
            .post(&self.url)
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .map_err(|e| CallError::Failed(format!("transport: {e}")))?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .map_err(|e| CallError::Failed(format!("HTTP {status}: body: {e}")))?;
        if let Some(error) = body["errors"].get(0) {
            return Err(CallError::Failed(format!(
                "HTTP {status}: {} {}",
                error["extensions"]["code"].as_str().unwrap_or("-"),
                error["message"].as_str().unwrap_or("-")
            )));
        }
        if !status.is_success() {
            return Err(CallError::Failed(format!("HTTP {status}")));
        }
        Ok(body["data"].clone())
    }
}
