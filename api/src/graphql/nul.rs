//! Text holding the NUL character (U+0000), refused before anything runs.
//!
//! GraphQL strings may carry it (`"\u0000"`, or in a JSON variable), SQLite stores it, and
//! PostgreSQL refuses it in any text value: a name or a summary with one in it reached the
//! database and failed there, answered `INTERNAL`. No field of Concord has a use for it, so
//! a request carrying one anywhere (a variable, or an argument written into the document)
//! is refused with `VALIDATION_FAILED`, naming the variable or argument, on both databases.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, Value as ConstValue, Variables};

/// The variable or argument whose text holds a NUL character, if any.
fn first_nul(document: &ExecutableDocument, variables: &Variables) -> Option<String> {
    if let Some((name, _)) = variables.iter().find(|(_, value)| const_has_nul(value)) {
        return Some(name.to_string());
    }
    let operations = document.operations.iter().map(|(_, op)| &op.node);
    for operation in operations {
        for definition in &operation.variable_definitions {
            let default = definition.node.default_value.as_ref();
            if default.is_some_and(|value| const_has_nul(&value.node)) {
                return Some(definition.node.name.node.to_string());
            }
        }
        if let Some(name) = in_selection(&operation.selection_set.node) {
            return Some(name);
        }
    }
    document
        .fragments
        .values()
        .find_map(|fragment| in_selection(&fragment.node.selection_set.node))
}

fn in_selection(set: &SelectionSet) -> Option<String> {
    set.items.iter().find_map(|item| match &item.node {
        Selection::Field(field) => field
            .node
            .arguments
            .iter()
            .find(|(_, value)| {
                // Variables stand for nothing here: their values are checked above.
                let written = value
                    .node
                    .clone()
                    .into_const_with(|_| Ok::<_, ()>(ConstValue::Null));
                written.is_ok_and(|value| const_has_nul(&value))
            })
            .map(|(name, _)| name.node.to_string())
            .or_else(|| in_selection(&field.node.selection_set.node)),
        Selection::InlineFragment(fragment) => in_selection(&fragment.node.selection_set.node),
        Selection::FragmentSpread(_) => None,
    })
}

fn const_has_nul(value: &ConstValue) -> bool {
    match value {
        ConstValue::String(text) => text.contains('\0'),
        ConstValue::List(items) => items.iter().any(const_has_nul),
        ConstValue::Object(fields) => fields.values().any(const_has_nul),
        _ => false,
    }
}

/// Refuses a request whose variables or document carry text with a NUL character.
pub fn refuse_nul(document: &ExecutableDocument, variables: &Variables) -> Result<(), ServerError> {
    let Some(field) = first_nul(document, variables) else {
        return Ok(());
    };
    Err(super::limits::refused(
        &format!("\"{field}\": text must not contain the NUL character (U+0000)"),
        "VALIDATION_FAILED",
        &[("field", field.into())],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(query: &str, variables: serde_json::Value) -> Option<String> {
        let document = async_graphql::parser::parse_query(query).expect("parses");
        let variables = Variables::from_json(variables);
        refuse_nul(&document, &variables).err().map(|e| e.message)
    }

    #[test]
    fn a_nul_anywhere_in_the_text_of_a_request_is_refused_by_name() {
        let plain = "mutation($i: In) { a(input: $i) { b(x: \"fine\") } }";
        assert_eq!(
            refused(plain, serde_json::json!({ "i": { "s": ["ok"] } })),
            None
        );
        let in_variable = refused(plain, serde_json::json!({ "i": { "s": ["a\u{0}b"] } }));
        assert!(in_variable.is_some_and(|m| m.starts_with("\"i\"")));
        let in_argument = refused(
            "{ a { b(x: { y: [\"\\u0000\"] }) } }",
            serde_json::json!({}),
        );
        assert!(in_argument.is_some_and(|m| m.starts_with("\"x\"")));
        let in_fragment = refused(
            "{ ...F } fragment F on Q { c(z: \"\\u0000\") }",
            serde_json::json!({}),
        );
        assert!(in_fragment.is_some_and(|m| m.starts_with("\"z\"")));
        let in_default = refused(
            "query($v: String = \"\\u0000\") { a }",
            serde_json::json!({}),
        );
        assert!(in_default.is_some_and(|m| m.starts_with("\"v\"")));
    }
}
