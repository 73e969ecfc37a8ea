//! What each agency sees of the scenario's child, read the way a front end reads it.

use serde_json::{Value, json};

use crate::helpers::{TestActor, TestApp, error_code};

const CHILD: &str = "query($id: ID!) { child(id: $id) {
    status
    involvements { agency { code } }
    chronology { nodes { kind } }
    deadlines { kind status }
    assessments { id status contributions { agency { code } restricted concerns status } needs { id statement } }
} }";

/// What `actor` sees of the child: `None` when it is not visible at all.
pub async fn view(app: &TestApp, actor: &TestActor, child: &str) -> Option<Value> {
    let response = app.gql_as(actor, CHILD, json!({ "id": child })).await;
    match error_code(&response) {
        Some("NOT_FOUND") => None,
        None => Some(response["data"]["child"].clone()),
        Some(other) => panic!("{actor:?}: unexpected {other}: {response}"),
    }
}

/// The sorted codes of the agencies on the child's case team.
pub fn team(view: &Value) -> Vec<String> {
    let mut codes: Vec<String> = view["involvements"]
        .as_array()
        .expect("involvements")
        .iter()
        .filter_map(|i| i["agency"]["code"].as_str().map(str::to_owned))
        .collect();
    codes.sort();
    codes
}

/// Whether the view's chronology holds an entry of `kind`.
pub fn has_entry(view: &Value, kind: &str) -> bool {
    view["chronology"]["nodes"]
        .as_array()
        .expect("chronology")
        .iter()
        .any(|e| e["kind"] == kind)
}

/// The status of the view's deadline of `kind`; `null` when there is none.
pub fn deadline(view: &Value, kind: &str) -> Value {
    view["deadlines"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["kind"] == kind))
        .map_or(Value::Null, |d| d["status"].clone())
}

/// The contribution of agency `code` to the child's latest assessment, as a view shows it.
pub fn part_of(view: &Value, code: &str) -> Value {
    view["assessments"][0]["contributions"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["agency"]["code"] == code))
        .cloned()
        .unwrap_or_else(|| panic!("no {code} contribution in {view}"))
}
