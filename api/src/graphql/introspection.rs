//! What the schema tells about itself.
//!
//! - Field suggestions ("Did you mean …") are for developers: production leaves them out,
//!   so that a caller cannot map the schema by misspelling.
//! - Introspection (`__schema`, `__type`) is answered in production only to callers with a
//!   valid token (production refuses every request without one), and to nobody when the
//!   operator switches it off. Then a document asking for it is refused before it runs with
//!   `INTROSPECTION_DISABLED`, rather than async-graphql's silent nulls; `__typename` stays.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult};

/// How much the schema tells about itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemaOptions {
    /// "Did you mean …" in validation errors (development only).
    pub suggestions: bool,
    /// Introspection queries are answered.
    pub introspection: bool,
    /// What one request may ask for.
    pub limits: super::limits::Limits,
}

impl Default for SchemaOptions {
    fn default() -> Self {
        Self {
            suggestions: true,
            introspection: true,
            limits: super::limits::Limits::default(),
        }
    }
}

fn introspects(set: &SelectionSet) -> bool {
    set.items.iter().any(|item| match &item.node {
        Selection::Field(field) => {
            matches!(field.node.name.node.as_str(), "__schema" | "__type")
                || introspects(&field.node.selection_set.node)
        }
        Selection::InlineFragment(fragment) => introspects(&fragment.node.selection_set.node),
        // Fragments are looked at where they are defined.
        Selection::FragmentSpread(_) => false,
    })
}

/// Whether any operation or fragment of the document asks for `__schema` or `__type`.
pub fn asks_for_introspection(document: &ExecutableDocument) -> bool {
    document
        .operations
        .iter()
        .any(|(_, op)| introspects(&op.node.selection_set.node))
        || document
            .fragments
            .values()
            .any(|fragment| introspects(&fragment.node.selection_set.node))
}

/// Refuses a document that introspects (checked when introspection is off).
pub fn refuse_introspection(document: &ExecutableDocument) -> ServerResult<()> {
    if asks_for_introspection(document) {
        let mut error = ServerError::new("introspection is switched off on this server", None);
        let mut extensions = async_graphql::ErrorExtensionValues::default();
        extensions.set("code", "INTROSPECTION_DISABLED");
        error.extensions = Some(extensions);
        return Err(error);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asks(query: &str) -> bool {
        async_graphql::parser::parse_query(query)
            .map(|d| asks_for_introspection(&d))
            .unwrap_or(false)
    }

    #[test]
    fn introspection_is_found_in_operations_and_fragments_but_typename_is_not_it() {
        assert!(asks("{ __schema { types { name } } }"));
        assert!(asks("{ __type(name: \"Child\") { name } }"));
        assert!(asks(
            "query { ...F } fragment F on Query { __schema { queryType { name } } }"
        ));
        assert!(asks("{ ... on Query { __type(name: \"X\") { name } } }"));
        assert!(!asks("{ __typename me { __typename name } }"));
    }
}
