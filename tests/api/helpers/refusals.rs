//! What the server must refuse: one request or a whole matrix of them, each with the
//! `extensions.code` (and `extensions.field`) it must answer, and optionally the DENIED
//! audit row it must leave.

use serde_json::Value;

use crate::helpers::db::denials;
use crate::helpers::{TestActor, TestApp, error_code};

/// One request that must be refused.
#[derive(Clone, Debug)]
pub struct Refusal<'a> {
    actor: TestActor,
    operation: &'a str,
    variables: Value,
    code: &'a str,
    field: Option<&'a str>,
}

impl<'a> Refusal<'a> {
    /// `actor` sending `operation` with `variables` is refused with `code`, naming no field.
    pub fn new(actor: TestActor, operation: &'a str, variables: Value, code: &'a str) -> Self {
        Self {
            actor,
            operation,
            variables,
            code,
            field: None,
        }
    }

    /// `actor` sending `operation` with `variables` fails validation on `field`.
    pub fn invalid(actor: TestActor, operation: &'a str, variables: Value, field: &'a str) -> Self {
        Self {
            field: Some(field),
            ..Self::new(actor, operation, variables, "VALIDATION_FAILED")
        }
    }
}

/// The same request by each actor, refused with the code beside it.
pub fn by_each<'a>(
    operation: &'a str,
    variables: &Value,
    actors: impl IntoIterator<Item = (TestActor, &'a str)>,
) -> Vec<Refusal<'a>> {
    actors
        .into_iter()
        .map(|(actor, code)| Refusal::new(actor, operation, variables.clone(), code))
        .collect()
}

/// Whether each refusal must be written to the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audit {
    /// Each refusal adds exactly one DENIED row for its actor.
    Denied,
    /// The audit log is not looked at.
    Unchecked,
}

/// Sends every request in turn and asserts it was refused as its case says: the first
/// error's `extensions.code`, its `extensions.field` (absent unless the case names one) and,
/// with [`Audit::Denied`], one more DENIED audit row for the actor.
pub async fn assert_refused<'a>(
    app: &TestApp,
    audit: Audit,
    cases: impl IntoIterator<Item = Refusal<'a>>,
) {
    for case in cases {
        let denied_before = match audit {
            Audit::Denied => Some(denials(&app.db, &case.actor).await),
            Audit::Unchecked => None,
        };
        let response = app
            .gql_as(&case.actor, case.operation, case.variables.clone())
            .await;
        let context = format!(
            "{} as {:?} with {} on {:?}: {response}",
            operation_name(case.operation),
            case.actor,
            case.variables,
            app.backend
        );
        assert_eq!(
            refusal(&response),
            (Some(case.code), case.field),
            "{context}"
        );
        if let Some(before) = denied_before {
            assert_eq!(
                denials(&app.db, &case.actor).await,
                before + 1,
                "refusal audited: {context}"
            );
        }
    }
}

/// The `extensions.code` and `extensions.field` of the first error of a response.
pub fn refusal(response: &Value) -> (Option<&str>, Option<&str>) {
    (
        error_code(response),
        response["errors"][0]["extensions"]["field"].as_str(),
    )
}

/// Asserts that a response is a version conflict carrying the `current` version.
pub fn assert_conflict(response: &Value, current: i64) {
    assert_eq!(error_code(response), Some("CONFLICT"), "{response}");
    assert_eq!(
        response["errors"][0]["extensions"]["currentVersion"], current,
        "{response}"
    );
}

/// `base` (an object) with the keys of `change` set to its values.
pub fn changed(base: &Value, change: &Value) -> Value {
    let mut out = base.clone();
    for (key, value) in change.as_object().expect("an object of changes") {
        out[key] = value.clone();
    }
    out
}

/// The first field an operation selects: `addPlanMember` in
/// `mutation($input: AddPlanMemberInput!) { addPlanMember(input: $input) { … } }`.
fn operation_name(operation: &str) -> &str {
    let body = operation
        .split_once('{')
        .map_or(operation, |(_, body)| body)
        .trim_start();
    let end = body
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    &body[..end]
}
