//! The strategic analyst never reaches a child's identity (`docs/access.md`, `docs/product.md`): a walk over
//! every query and mutation of the schema, as that role, with real ids for every `ID`.

use serde_json::{Map, Value, json};

use crate::fixture;
use crate::helpers::plans::active_plan;
use crate::helpers::{TestActor, TestApp, spawn_apps};

const INTROSPECTION: &str = "{ __schema { queryType { name } mutationType { name }
    types { name kind possibleTypes { name } enumValues { name }
      fields { name args { name type { ...T } } type { ...T } }
      inputFields { name type { ...T } } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

struct Walker<'a> {
    types: &'a [Value],
    ids: Vec<String>,
    child: Value,
}

fn named(ty: &Value) -> (&str, bool) {
    // (name, required)
    let required = ty["kind"] == "NON_NULL";
    let mut t = ty;
    while t["name"].is_null() {
        t = &t["ofType"];
    }
    (t["name"].as_str().unwrap_or_default(), required)
}

fn is_list(ty: &Value) -> bool {
    let mut t = ty;
    while !t.is_null() {
        if t["kind"] == "LIST" {
            return true;
        }
        t = &t["ofType"];
    }
    false
}

impl Walker<'_> {
    fn ty(&self, name: &str) -> &Value {
        self.types
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or(&Value::Null)
    }

    /// A selection set of every field down to `depth`, fragments for abstract types.
    fn selection(&self, name: &str, depth: usize) -> String {
        let ty = self.ty(name);
        match ty["kind"].as_str() {
            Some("OBJECT") if depth > 0 => {
                let mut parts = vec!["__typename".to_owned()];
                for field in ty["fields"].as_array().into_iter().flatten() {
                    let required_args = field["args"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|a| named(&a["type"]).1);
                    if required_args {
                        continue;
                    }
                    let (inner, _) = named(&field["type"]);
                    let kind = self.ty(inner)["kind"].as_str().unwrap_or_default();
                    let fname = field["name"].as_str().unwrap_or_default();
                    match kind {
                        "SCALAR" | "ENUM" => parts.push(fname.to_owned()),
                        _ if depth > 1 => {
                            parts.push(format!("{fname} {}", self.selection(inner, depth - 1)))
                        }
                        _ => {}
                    }
                }
                format!("{{ {} }}", parts.join(" "))
            }
            Some("INTERFACE" | "UNION") if depth > 0 => {
                let fragments: Vec<String> = ty["possibleTypes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p["name"].as_str())
                    .map(|p| format!("... on {p} {}", self.selection(p, depth - 1)))
                    .collect();
                format!("{{ __typename {} }}", fragments.join(" "))
            }
            _ => "{ __typename }".to_owned(),
        }
    }

    /// A value for an argument or input field of type `ty`, using `id` for every ID.
    fn value(&self, field: &str, ty: &Value, id: &str) -> Value {
        let (name, _) = named(ty);
        let one = match name {
            "ID" => json!(id),
            "String" => self
                .child
                .get(field)
                .cloned()
                .unwrap_or(json!("Synthetic text for the walk")),
            "Int" => json!(1),
            "Float" => json!(1.0),
            "Boolean" => json!(false),
            "DateTime" => json!(if field == "to" {
                "2030-01-01T00:00:00Z"
            } else {
                "2020-01-01T00:00:00Z"
            }),
            "Date" => self
                .child
                .get(field)
                .cloned()
                .unwrap_or(json!("2020-01-01")),
            other => {
                let t = self.ty(other);
                match t["kind"].as_str() {
                    Some("ENUM") => t["enumValues"][0]["name"].clone(),
                    Some("INPUT_OBJECT") => {
                        let mut object = Map::new();
                        for f in t["inputFields"].as_array().into_iter().flatten() {
                            let fname = f["name"].as_str().unwrap_or_default();
                            object.insert(fname.to_owned(), self.value(fname, &f["type"], id));
                        }
                        Value::Object(object)
                    }
                    _ => Value::Null,
                }
            }
        };
        if is_list(ty) { json!([one]) } else { one }
    }
}

async fn identity_strings(app: &TestApp, child: &str) -> Vec<String> {
    let data = app
        .ok_as(
            &TestActor::coordinator("csc"),
            "query($id: ID!) { child(id: $id) { id givenName familyName dateOfBirth nhsNumber uniquePupilNumber localAuthorityRef policeRef } }",
            json!({ "id": child }),
        )
        .await;
    let mut out: Vec<String> = data["child"]
        .as_object()
        .expect("child")
        .values()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    out.push(crate::helpers::uuid_of(child).to_string());
    out
}

#[tokio::test]
async fn no_child_identity_is_reachable_as_a_strategic_analyst_anywhere_in_the_schema() {
    for app in spawn_apps().await {
        let f = fixture::build(&app).await;
        let coordinator = TestActor::coordinator("csc");
        let identified = app
            .ok_as(
                &coordinator,
                "mutation($input: RegisterChildInput!) { registerChild(input: $input) { child { id } } }",
                json!({ "input": { "givenName": "Quixotic", "familyName": "Walkchild", "dateOfBirth": "2012-12-12", "gender": "Female",
                                   "nhsNumber": "9434765919", "uniquePupilNumber": "U201345678901", "localAuthorityRef": "LA-WALK-77",
                                   "policeRef": "PR-WALK-88" } }),
            )
            .await["registerChild"]["child"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let (plan, _) = active_plan(&app, &f, &identified, &[]).await;
        fixture::chronology_entry(
            &app,
            &TestActor::practitioner("csc"),
            &identified,
            "REFERRAL",
            "2026-03-05T10:00:00Z",
        )
        .await;
        let mut secrets = identity_strings(&app, &identified).await;
        for child in [&f.alpha, &f.bravo, &f.charlie] {
            secrets.extend(identity_strings(&app, child).await);
        }
        let deadline = app
            .ok_as(
                &coordinator,
                "query($id: ID!) { child(id: $id) { deadlines { id } } }",
                json!({ "id": identified }),
            )
            .await["child"]["deadlines"][0]["id"]
            .clone();
        let involvement = app
            .ok_as(
                &coordinator,
                "query($id: ID!) { child(id: $id) { involvements { id } } }",
                json!({ "id": identified }),
            )
            .await["child"]["involvements"][0]["id"]
            .clone();

        let analyst = TestActor::analyst("csc");
        let schema = app.ok_as(&analyst, INTROSPECTION, json!({})).await;
        let types = schema["__schema"]["types"]
            .as_array()
            .expect("types")
            .clone();
        let child_values = json!({ "givenName": "Quixotic", "familyName": "Walkchild", "dateOfBirth": "2012-12-12", "nhsNumber": "9434765919" });
        let ids: Vec<String> = [
            json!(identified),
            json!(plan),
            deadline,
            involvement,
            json!(f.agency_gid("csc")),
        ]
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
        let walker = Walker {
            types: &types,
            ids,
            child: child_values,
        };
        let mut calls = 0;
        for (root, keyword) in [("Query", "query"), ("Mutation", "mutation")] {
            for field in walker.ty(root)["fields"].as_array().expect("fields") {
                let name = field["name"].as_str().expect("name");
                let (result_type, _) = named(&field["type"]);
                let selection = walker.selection(result_type, 4);
                let selection = if selection == "{ __typename }"
                    && matches!(
                        walker.ty(result_type)["kind"].as_str(),
                        Some("SCALAR" | "ENUM")
                    ) {
                    String::new()
                } else {
                    selection
                };
                for id in &walker.ids {
                    let args = field["args"].as_array().expect("args");
                    let mut variables = Map::new();
                    let mut declared = Vec::new();
                    let mut passed = Vec::new();
                    for (i, arg) in args.iter().enumerate() {
                        let aname = arg["name"].as_str().expect("name");
                        let (tname, required) = named(&arg["type"]);
                        let list = is_list(&arg["type"]);
                        let ty = match (list, required) {
                            (true, true) => format!("[{tname}!]!"),
                            (true, false) => format!("[{tname}!]"),
                            (false, true) => format!("{tname}!"),
                            (false, false) => tname.to_owned(),
                        };
                        declared.push(format!("$a{i}: {ty}"));
                        passed.push(format!("{aname}: $a{i}"));
                        variables.insert(format!("a{i}"), walker.value(aname, &arg["type"], id));
                    }
                    let header = if declared.is_empty() {
                        String::new()
                    } else {
                        format!("({})", declared.join(", "))
                    };
                    let call = if passed.is_empty() {
                        name.to_owned()
                    } else {
                        format!("{name}({})", passed.join(", "))
                    };
                    let document = format!("{keyword} Walk{header} {{ {call} {selection} }}");
                    let response = app
                        .gql_as(&analyst, &document, Value::Object(variables))
                        .await;
                    assert!(
                        response.get("data").is_some() || response["errors"].is_array(),
                        "{document}: {response}"
                    );
                    let text = response.to_string();
                    for secret in &secrets {
                        assert!(
                            !text.contains(secret.as_str()),
                            "{name} revealed {secret:?} to the analyst: {response}"
                        );
                    }
                    calls += 1;
                }
            }
        }
        assert!(
            calls > 100,
            "the walk reached every root field ({calls} calls)"
        );
    }
}
