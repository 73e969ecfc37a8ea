//! The example operations in `examples/operations/` run against the development demo.
//!
//! `examples/operations/manifest.json` lists every example in the order it runs, the demo
//! user it runs as and its variables; `{{…}}` in a variable refers to the demo's agencies
//! (`{{agency:demo-police}}`), today's date (`{{today}}`) or a field of an earlier
//! operation's answer (`{{RegisterChildMutation.registerChild.child.id}}`, with
//! `list[field.path=value]` picking an element). Every example must run without an error
//! as its user; a subscription must replay at least one event from `after: "0"`.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, TypeKind,
    TypeSystemDefinition,
};
use entity::enums::AgencyKind;
use serde_json::{Value, json};

use crate::helpers::{TestActor, TestApp, spawn_apps};
use crate::ws_client::GqlSocket;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn operations_dir() -> PathBuf {
    repository().join("examples/operations")
}

/// One run of the manifest.
struct Run {
    file: String,
    /// The name later references use for its answer: the operation's, unless the
    /// manifest gives one (an example that runs more than once).
    answer_as: Option<String>,
    actor: TestActor,
    variables: Value,
}

fn manifest() -> Vec<Run> {
    let text = std::fs::read_to_string(operations_dir().join("manifest.json")).expect("manifest");
    let manifest: Value = serde_json::from_str(&text).expect("manifest is JSON");
    manifest["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .map(|run| {
            let sub = run["as"].as_str().expect("as");
            let demo = api::demo::ACTORS
                .iter()
                .find(|actor| actor.sub == sub)
                .unwrap_or_else(|| panic!("{sub} is not a demo user"));
            Run {
                file: run["file"].as_str().expect("file").to_owned(),
                answer_as: run["answerAs"].as_str().map(str::to_owned),
                actor: TestActor {
                    sub: demo.sub.into(),
                    agency: demo.agency.into(),
                    roles: vec![demo.role.name().into()],
                },
                variables: run.get("variables").cloned().unwrap_or_else(|| json!({})),
            }
        })
        .collect()
}

fn parse(path: &Path) -> (String, ExecutableDocument) {
    let text = std::fs::read_to_string(path).expect("read example");
    let document = async_graphql::parser::parse_query(&text)
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    (text, document)
}

/// The one named operation of an example: its name, type and root fields.
fn operation(path: &Path, document: &ExecutableDocument) -> (String, OperationType, Vec<String>) {
    let DocumentOperations::Multiple(operations) = &document.operations else {
        panic!("{}: name the operation", path.display());
    };
    assert_eq!(
        operations.len(),
        1,
        "{}: one operation per file",
        path.display()
    );
    let (name, operation) = operations.iter().next().expect("one operation");
    let roots = operation
        .node
        .selection_set
        .node
        .items
        .iter()
        .filter_map(|item| match &item.node {
            Selection::Field(field) => Some(field.node.name.node.to_string()),
            _ => None,
        })
        .collect();
    (name.to_string(), operation.node.ty, roots)
}

/// The root fields of the committed schema, by operation type.
fn schema_roots() -> BTreeMap<&'static str, BTreeSet<String>> {
    let sdl = std::fs::read_to_string(repository().join("schema.graphql")).expect("schema");
    let schema = async_graphql::parser::parse_schema(&sdl).expect("schema parses");
    let mut roots = BTreeMap::new();
    for definition in schema.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let key = match ty.node.name.node.as_str() {
            "Query" => "query",
            "Mutation" => "mutation",
            "Subscription" => "subscription",
            _ => continue,
        };
        if let TypeKind::Object(object) = &ty.node.kind {
            roots.insert(
                key,
                object
                    .fields
                    .iter()
                    .map(|f| f.node.name.node.to_string())
                    .collect(),
            );
        }
    }
    roots
}

fn kind(ty: OperationType) -> &'static str {
    match ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    }
}

#[test]
fn every_root_field_of_the_schema_has_an_example_in_the_manifest() {
    let runs = manifest();
    let listed: BTreeSet<&str> = runs.iter().map(|r| r.file.as_str()).collect();
    let mut covered: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(operations_dir()).expect("examples") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("graphql") {
            continue;
        }
        let file = path.file_name().and_then(|f| f.to_str()).expect("name");
        assert!(listed.contains(file), "{file} is not in manifest.json");
        let (_, document) = parse(&path);
        let (name, ty, roots) = operation(&path, &document);
        let suffix = match ty {
            OperationType::Query => "Query",
            OperationType::Mutation => "Mutation",
            OperationType::Subscription => "Subscription",
        };
        assert!(
            name.ends_with(suffix),
            "{file}: {name} should end with {suffix}"
        );
        assert!(names.insert(name.clone()), "{name} is used twice");
        for fragment in document.fragments.keys() {
            assert!(
                fragment.starts_with(&format!("{name}_")),
                "{file}: fragment {fragment} should be named {name}_…"
            );
        }
        covered.entry(kind(ty)).or_default().extend(roots);
    }
    for file in &listed {
        assert!(
            operations_dir().join(file).exists(),
            "{file} is listed but missing"
        );
    }
    for (ty, fields) in schema_roots() {
        let missing: Vec<&String> = fields
            .iter()
            .filter(|f| !covered.get(ty).is_some_and(|c| c.contains(*f)))
            .collect();
        assert!(missing.is_empty(), "no example {ty} for {missing:?}");
    }
}

/// Follows `path` (`a.b[c.d=value].e`) into `value`.
fn follow<'v>(mut value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut rest = path;
    while !rest.is_empty() {
        let (segment, next) = match rest.find(['.', '[']) {
            Some(0) if rest.starts_with('[') => {
                let close = rest.find(']')?;
                let (field, wanted) = rest[1..close].split_once('=')?;
                value = value
                    .as_array()?
                    .iter()
                    .find(|item| follow(item, field).and_then(Value::as_str) == Some(wanted))?;
                rest = rest[close + 1..].trim_start_matches('.');
                continue;
            }
            Some(at) => (&rest[..at], rest[at..].trim_start_matches('.')),
            None => (rest, ""),
        };
        value = value.get(segment)?;
        rest = next;
    }
    Some(value)
}

/// Fills the `{{…}}` references of `variables`.
fn resolve(
    variables: &Value,
    answers: &BTreeMap<String, Value>,
    agencies: &BTreeMap<String, String>,
) -> Value {
    match variables {
        Value::String(text) if text.starts_with("{{") && text.ends_with("}}") => {
            let reference = &text[2..text.len() - 2];
            if reference == "today" {
                return json!(chrono::Utc::now().date_naive().to_string());
            }
            if let Some(code) = reference.strip_prefix("agency:") {
                return json!(
                    agencies
                        .get(code)
                        .unwrap_or_else(|| panic!("agency {code}"))
                );
            }
            let (operation, path) = reference.split_once('.').expect("Operation.path");
            let answer = answers
                .get(operation)
                .unwrap_or_else(|| panic!("{reference}: {operation} has not run yet"));
            follow(answer, path)
                .unwrap_or_else(|| panic!("{reference} is not in {answer}"))
                .clone()
        }
        Value::Array(items) => items
            .iter()
            .map(|item| resolve(item, answers, agencies))
            .collect(),
        Value::Object(fields) => fields
            .iter()
            .map(|(k, v)| (k.clone(), resolve(v, answers, agencies)))
            .collect(),
        other => other.clone(),
    }
}

/// Runs one subscription example: it must be accepted and replay an event.
async fn subscribe(app: &TestApp, run: &Run, text: &str, variables: Value) -> Value {
    let mut socket = GqlSocket::open(&app.ws_url(), &run.actor.token()).await;
    socket.subscribe("example", text, variables).await;
    let data = socket.next_data("example").await;
    let event = data.as_object().and_then(|o| o.values().next()).cloned();
    let event = event.unwrap_or_else(|| panic!("{}: no event in {data}", run.file));
    assert!(
        event["seq"].as_str().is_some_and(|s| !s.is_empty()) && event["kind"].is_string(),
        "{}: {event}",
        run.file
    );
    socket.close().await;
    data
}

#[tokio::test]
async fn every_example_operation_runs_against_the_demo_as_its_user() {
    let runs = manifest();
    for app in spawn_apps().await {
        assert!(api::demo::seed(&app.db).await.expect("seed the demo"));
        // The test server names `csc` and `police` as the designated agencies that an
        // escalation brings onto the case team.
        app.add_agency("csc", AgencyKind::ChildrensSocialCare).await;
        app.add_agency("police", AgencyKind::Police).await;
        let directory = app
            .ok_as(
                &TestActor::admin("demo-partnership"),
                "{ agencies { id code } }",
                json!({}),
            )
            .await;
        let agencies: BTreeMap<String, String> = directory["agencies"]
            .as_array()
            .expect("agencies")
            .iter()
            .map(|a| {
                (
                    a["code"].as_str().expect("code").into(),
                    a["id"].as_str().expect("id").into(),
                )
            })
            .collect();
        let mut answers = BTreeMap::new();
        for run in &runs {
            let path = operations_dir().join(&run.file);
            let (text, document) = parse(&path);
            let (name, ty, roots) = operation(&path, &document);
            let variables = resolve(&run.variables, &answers, &agencies);
            let data = if ty == OperationType::Subscription {
                subscribe(&app, run, &text, variables).await
            } else {
                let response = app.gql_as(&run.actor, &text, variables.clone()).await;
                assert!(
                    response["errors"].is_null(),
                    "{} as {} with {variables}: {response}",
                    run.file,
                    run.actor.sub
                );
                response["data"].clone()
            };
            for root in roots.iter().filter(|r| r.as_str() != "node") {
                assert!(
                    !data[root].is_null(),
                    "{}: {root} is null in {data}",
                    run.file
                );
            }
            let key = run.answer_as.clone().unwrap_or(name);
            assert!(
                answers.insert(key.clone(), data).is_none(),
                "{key} answered twice: name the second run with answerAs"
            );
        }
        // The examples did what they say on the demo: the example child is known, its
        // plan closed, its referral decided.
        assert_eq!(
            answers["FindKnownChildQuery"]["findKnownChild"]["known"],
            true
        );
        assert_eq!(
            answers["CloseJointPlanMutation"]["closeJointPlan"]["jointPlan"]["status"],
            "CLOSED"
        );
        assert_eq!(
            answers["NodeQuery"]["node"]["__typename"], "Child",
            "node resolves the registered child"
        );
    }
}

/// The ```graphql blocks of the README, each with the demo user its first line names
/// (`# as demo-coordinator …`).
fn readme_examples() -> Vec<(TestActor, String)> {
    let readme = std::fs::read_to_string(repository().join("README.md")).expect("README");
    readme
        .split("```graphql\n")
        .skip(1)
        .map(|block| {
            let text = block.split("```").next().expect("block").to_owned();
            let sub = text
                .lines()
                .next()
                .and_then(|line| line.strip_prefix("# as "))
                .and_then(|rest| rest.split([' ', ',', ';', ':']).next())
                .unwrap_or_else(|| panic!("README example without `# as demo-…`: {text}"));
            let demo = api::demo::ACTORS
                .iter()
                .find(|actor| actor.sub == sub)
                .unwrap_or_else(|| panic!("{sub} is not a demo user"));
            let actor = TestActor {
                sub: demo.sub.into(),
                agency: demo.agency.into(),
                roles: vec![demo.role.name().into()],
            };
            (actor, text)
        })
        .collect()
}

#[tokio::test]
async fn every_readme_example_runs_as_pasted_against_the_demo() {
    let examples = readme_examples();
    assert!(examples.len() >= 5, "the README has its examples");
    for app in spawn_apps().await {
        assert!(api::demo::seed(&app.db).await.expect("seed the demo"));
        for (actor, text) in &examples {
            let document = async_graphql::parser::parse_query(text)
                .unwrap_or_else(|e| panic!("README example does not parse: {e}\n{text}"));
            let subscription = document
                .operations
                .iter()
                .any(|(_, op)| op.node.ty == OperationType::Subscription);
            if subscription {
                let mut socket = GqlSocket::open(&app.ws_url(), &actor.token()).await;
                socket.subscribe("readme", text, json!({})).await;
                let data = socket.next_data("readme").await;
                assert!(data.is_object(), "{text}: {data}");
                socket.close().await;
            } else {
                let response = app.gql_as(actor, text, json!({})).await;
                assert!(response["errors"].is_null(), "{text}\n{response}");
            }
        }
    }
}
