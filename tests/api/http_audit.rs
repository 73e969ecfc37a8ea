//! The GraphQL over HTTP conformance audit of the reference implementation (`graphql-http`'s
//! `auditServer`, run by `tests/browser/audit.mjs`): every MUST and SHOULD holds.

use std::time::Duration;

use serde_json::Value;

use crate::helpers::{TestActor, spawn_apps};
use crate::node;

#[tokio::test]
async fn the_graphql_over_http_audit_passes_every_must_and_should() {
    for app in spawn_apps().await {
        // The audit's requests carry a valid token, as a real client's do: production mode
        // answers 401 to any request without one before reading it.
        app.add_agency("ops", entity::enums::AgencyKind::Other)
            .await;
        let token = TestActor::practitioner("ops").token();
        let run = node::script("audit.mjs")
            .env("CONCORD_URL", &app.address)
            .env("CONCORD_TOKEN", &token)
            .output();
        let output = tokio::time::timeout(Duration::from_secs(120), run)
            .await
            .expect("the audit finished within 2 minutes")
            .expect("run node audit.mjs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let summary: Value = stdout
            .lines()
            .last()
            .and_then(|line| serde_json::from_str(line).ok())
            .unwrap_or_else(|| panic!("no audit summary:\n{stdout}\n{stderr}"));
        assert!(
            summary["failed"].as_array().is_some_and(Vec::is_empty),
            "MUSTs or SHOULDs not met on {:?}:\n{}",
            app.backend,
            serde_json::to_string_pretty(&summary["failed"]).unwrap_or_default()
        );
        assert!(output.status.success(), "{stdout}\n{stderr}");
        // The audit really ran: it has dozens of checks, and most of them passed.
        let total = summary["total"].as_u64().unwrap_or(0);
        assert!(total >= 30, "only {total} audits ran:\n{stdout}");
        assert!(summary["ok"].as_u64().unwrap_or(0) >= total - 5, "{stdout}");
    }
}
