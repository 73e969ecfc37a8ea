//! Corrections with history (issue 13, part 1): `updateChild`, `amendBehaviour`,
//! `amendChronologyEntry` and `markEnteredInError`. By subject; the operations and the
//! shared helpers are here.

mod behaviours;
mod case_records;
mod child;
mod chronology;
mod entered_in_error;
mod plans;

use serde_json::{Value, json};

use crate::helpers::{TestActor, TestApp};

/// Every field of a record version.
pub const VERSION_FIELDS: &str =
    "history { version amendedAt amendingAgency { code } reason changedFields values }";

pub fn update_child() -> String {
    format!(
        "mutation($input: UpdateChildInput!) {{ updateChild(input: $input) {{ child {{
            id givenName familyName nhsNumber lookedAfter version amended {VERSION_FIELDS} }} }} }}"
    )
}

pub fn amend_behaviour() -> String {
    format!(
        "mutation($input: AmendBehaviourInput!) {{ amendBehaviour(input: $input) {{ escalated
            behaviour {{ id description trafficLight suggestedTrafficLight escalated version
            amended sensitivity {VERSION_FIELDS} }} }} }}"
    )
}

pub fn amend_entry() -> String {
    format!(
        "mutation($input: AmendChronologyEntryInput!) {{ amendChronologyEntry(input: $input) {{
            entry {{ id kind summary occurredAt version amended {VERSION_FIELDS} }} }} }}"
    )
}

pub const MARK: &str =
    "mutation($input: MarkEnteredInErrorInput!) { markEnteredInError(input: $input) {
    entry { id __typename
        ... on Behaviour { enteredInError enteredInErrorReason description version }
        ... on ChronologyEntry { enteredInError enteredInErrorReason summary version } } } }";

/// A behaviour and its history, as `node` returns it.
pub fn behaviour_node() -> String {
    format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on Behaviour {{ id restricted description
            escalated enteredInError enteredInErrorReason amended {VERSION_FIELDS} }} }} }}"
    )
}

/// A chronology entry and its history, as `node` returns it.
pub fn entry_node() -> String {
    format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on ChronologyEntry {{ id restricted summary
            enteredInError enteredInErrorReason amended {VERSION_FIELDS} }} }} }}"
    )
}

pub const REASON: &str = "Synthetic: corrected after checking the original referral form.";

/// Records a behaviour of `child` as `actor`; returns the behaviour.
pub async fn record_behaviour(
    app: &TestApp,
    actor: &TestActor,
    child: &str,
    light: &str,
    indicators: &[&str],
    continuum: &str,
    sensitivity: &str,
) -> Value {
    let data = app
        .ok_as(
            actor,
            "mutation($input: RecordBehaviourInput!) { recordBehaviour(input: $input) {
                escalated behaviour { id version escalated } } }",
            json!({ "input": {
                "childId": child, "occurredOn": "2026-11-10", "disclosedAt": "2026-11-10T16:00:00Z",
                "setting": "SCHOOL", "contactType": "NON_CONTACT",
                "description": "Synthetic behaviour for a correction test.",
                "continuum": continuum, "indicators": indicators, "trafficLight": light,
                "sensitivity": sensitivity
            }}),
        )
        .await;
    data["recordBehaviour"]["behaviour"].clone()
}

/// Adds a note to `child`'s chronology as `actor`; returns the entry.
pub async fn add_note(app: &TestApp, actor: &TestActor, child: &str, sensitivity: &str) -> Value {
    let data = app
        .ok_as(
            actor,
            "mutation($input: AddChronologyEntryInput!) { addChronologyEntry(input: $input) {
                entry { id version } } }",
            json!({ "input": {
                "childId": child, "kind": "NOTE", "occurredAt": "2026-11-12T10:00:00Z",
                "summary": "Synthetic note for a correction test.", "sensitivity": sensitivity
            }}),
        )
        .await;
    data["addChronologyEntry"]["entry"].clone()
}
