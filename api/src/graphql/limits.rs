//! What one request may ask for (`docs/integrating.md`, limits), checked before any resolver
//! runs, and the error codes of requests refused before execution.
//!
//! - **Cost** counts list sizes: a paginated list costs `first` (20 when absent) times its
//!   selection, an unpaginated one an assumed [`size`] times its selection, and every
//!   other field 1. A child's own lists (`behaviours`, `chronology`, `jointPlans`) are
//!   paginated but cost their assumed size when no `first` or `last` is given, as before
//!   they were ([`list_size`]). Aliases count again, so fifty aliases of a list cost fifty lists.
//! - **Aliases**: at most [`Limits::max_aliases`] per document.
//! - **Size, fragments expanded**: at most [`expansion::MAX_SIZE`] selections, directives
//!   and argument values, fragment spreads nested at most
//!   [`expansion::MAX_FRAGMENT_DEPTH`] deep (see [`expansion`]).
//! - **Mutation fields**: at most [`Limits::max_mutations`] fields at the root of a
//!   mutation, fragments followed. A field repeated without an alias (which GraphQL
//!   merges into one answer) still runs once per copy, each its own committed write, so
//!   every copy counts.
//! - **Depth**: at most [`Limits::max_depth`] levels.
//!
//! A refusal is `LIMIT_EXCEEDED` with `extensions.limit` and what was measured
//! (`cost`, `aliases`, `size`, `fragmentDepth`, `mutations` or `depth`). Parse and validation errors, which async-graphql
//! raises without a code, get `VALIDATION_FAILED` (with `field` when an input argument
//! is named), so every error a client sees has `extensions.code`.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{
    CustomValidator, InputType, InputValueError, ServerError, ServerResult, ValidationResult,
};

pub mod expansion;

/// The assumed length of each list that has no `first` argument, for the cost of a
/// query: about what a busy case has.
pub mod size {
    /// A child's involvements.
    pub const INVOLVEMENTS: usize = 10;
    /// A child's behaviours.
    pub const BEHAVIOURS: usize = 10;
    /// A child's chronology.
    pub const CHRONOLOGY: usize = 20;
    /// A child's joint plans.
    pub const PLANS: usize = 3;
    /// A child's deadlines.
    pub const DEADLINES: usize = 10;
    /// A plan's members (and a review's attending agencies).
    pub const MEMBERS: usize = 10;
    /// A plan's actions.
    pub const ACTIONS: usize = 10;
    /// A plan's reviews.
    pub const REVIEWS: usize = 5;
    /// An action's consultations.
    pub const CONSULTATIONS: usize = 3;
    /// The consultations put to one agency.
    pub const MY_CONSULTATIONS: usize = 20;
    /// The partnership's agencies.
    pub const AGENCIES: usize = 50;
    /// The agencies an entry is shared with.
    pub const SHARED_WITH: usize = 5;
    /// The other children of a behaviour.
    pub const AFFECTED_CHILDREN: usize = 3;
    /// Every deadline of an agency's caseload.
    pub const ALL_DEADLINES: usize = 100;
    /// A child's assessments.
    pub const ASSESSMENTS: usize = 3;
    /// An assessment's contributions (agencies times domains).
    pub const CONTRIBUTIONS: usize = 15;
    /// The needs an assessment identified (and a plan shows).
    pub const NEEDS: usize = 10;
}

/// The size of a page asked for with `first` (20 when absent, at most 100).
pub fn page_size(first: Option<i32>) -> usize {
    first.map_or(20, |n| usize::try_from(n.clamp(0, 100)).unwrap_or(0))
}

/// The cost of one page of a list with a default page size: `first` (or `last`) when
/// given, bounded as [`page_size`], and otherwise the `assumed` length of such a list
/// (one of [`size`]), as for a list without paging.
pub fn list_size(first: Option<i32>, assumed: usize) -> usize {
    first.map_or(assumed, |n| page_size(Some(n)))
}

/// A text input of at most `max` characters, checked while the input is parsed (before
/// any resolver runs); the refusal names the field.
pub struct MaxChars {
    field: &'static str,
    max: usize,
}

impl MaxChars {
    /// At most `max` characters in input field `field`.
    pub const fn new(field: &'static str, max: usize) -> Self {
        Self { field, max }
    }
}

impl CustomValidator<String> for MaxChars {
    fn check(&self, value: &String) -> Result<(), InputValueError<String>> {
        if value.chars().count() > self.max {
            return Err(InputValueError::custom(format!(
                "input field \"{}\": at most {} characters",
                self.field, self.max
            )));
        }
        Ok(())
    }
}

/// A list input of at most `max` items, checked while the input is parsed.
pub struct MaxItems {
    field: &'static str,
    max: usize,
}

impl MaxItems {
    /// At most `max` items in input field `field`.
    pub const fn new(field: &'static str, max: usize) -> Self {
        Self { field, max }
    }
}

impl<T: InputType> CustomValidator<Vec<T>> for MaxItems {
    fn check(&self, value: &Vec<T>) -> Result<(), InputValueError<Vec<T>>> {
        if value.len() > self.max {
            return Err(InputValueError::custom(format!(
                "input field \"{}\": at most {} items",
                self.field, self.max
            )));
        }
        Ok(())
    }
}

/// The limits of one request; all configurable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The highest query cost.
    pub max_cost: usize,
    /// The most aliases in one document.
    pub max_aliases: usize,
    /// The most fields at the root of one mutation.
    pub max_mutations: usize,
    /// The deepest selection.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        use crate::config::defaults;
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Self {
            max_cost: size(defaults::MAX_QUERY_COST),
            max_aliases: size(defaults::MAX_ALIASES),
            max_mutations: size(defaults::MAX_MUTATIONS),
            max_depth: size(defaults::MAX_QUERY_DEPTH),
        }
    }
}

/// A refusal before anything runs: `message`, with `code` and `more` in its extensions.
pub fn refused(message: &str, code: &str, more: &[(&str, async_graphql::Value)]) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code);
    for (key, value) in more {
        extensions.set(*key, value.clone());
    }
    error.extensions = Some(extensions);
    error
}

/// `LIMIT_EXCEEDED`, with the `limit` and what was measured.
pub fn limit_exceeded(message: &str, limit: usize, measure: &str, value: usize) -> ServerError {
    refused(
        message,
        "LIMIT_EXCEEDED",
        &[("limit", limit.into()), (measure, value.into())],
    )
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some())
                    + count_aliases(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => count_aliases(&fragment.node.selection_set.node),
            // Fragments are counted once where they are defined.
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

/// How many aliases a document uses, fragments included.
pub fn aliases(document: &ExecutableDocument) -> usize {
    let operations: usize = document
        .operations
        .iter()
        .map(|(_, op)| count_aliases(&op.node.selection_set.node))
        .sum();
    let fragments: usize = document
        .fragments
        .values()
        .map(|fragment| count_aliases(&fragment.node.selection_set.node))
        .sum();
    operations + fragments
}

/// The input field a parse error names: `input field "summary"` (from [`MaxChars`] and
/// [`MaxItems`]) or `argument "input.summary"` (from async-graphql).
fn named_field(message: &str) -> Option<String> {
    let start = ["input field \"", "argument \""]
        .iter()
        .find_map(|marker| message.find(marker).map(|at| at + marker.len()))?;
    let rest = &message[start..];
    let name = &rest[..rest.find('"')?];
    Some(name.strip_prefix("input.").unwrap_or(name).to_owned())
}

/// Gives an error raised without a code (by the parser, the validator or an input value
/// check) the code `VALIDATION_FAILED`.
pub fn with_code(mut error: ServerError) -> ServerError {
    let has_code = error
        .extensions
        .as_ref()
        .is_some_and(|extensions| extensions.get("code").is_some());
    if has_code {
        return error;
    }
    let mut extensions = error.extensions.take().unwrap_or_default();
    // Parse and validation errors have no path; input errors during execution name the
    // value they could not take. Anything else without a code is a bug inside the
    // service: its text stays in the log, the client gets the generic `INTERNAL`.
    let about_input = error.path.is_empty()
        || error.message.starts_with("Failed to parse")
        || error.message.starts_with("Invalid value");
    if about_input {
        extensions.set("code", "VALIDATION_FAILED");
        if let Some(field) = named_field(&error.message) {
            if let Some(message) = super::scalars::describe_invalid(&error.message, &field) {
                error.message = message;
            }
            extensions.set("field", field);
        }
    } else {
        tracing::error!(error = %error.message, "an error without a code reached the client");
        error.message = "internal error".to_owned();
        extensions.set("code", "INTERNAL");
    }
    error.extensions = Some(extensions);
    error
}

/// A document the validator would refuse, refused before it is walked.
fn invalid_document(message: &str) -> ServerError {
    refused(message, "VALIDATION_FAILED", &[])
}

impl Limits {
    /// Refuses a parsed document that is too large with its fragments expanded, spreads a
    /// fragment that is missing or spreads itself, uses more aliases, or runs more
    /// mutation fields, than allowed.
    pub fn check_document(&self, document: &ExecutableDocument) -> ServerResult<()> {
        let measure = match expansion::measure(document) {
            Ok(measure) => measure,
            Err(expansion::Refusal::TooDeep) => {
                let depth = expansion::MAX_FRAGMENT_DEPTH;
                return Err(limit_exceeded(
                    &format!("fragments are spread into one another more than {depth} deep"),
                    depth,
                    "fragmentDepth",
                    depth + 1,
                ));
            }
            Err(expansion::Refusal::Unknown(name)) => {
                return Err(invalid_document(&format!("unknown fragment \"{name}\"")));
            }
            Err(expansion::Refusal::Cycle(name)) => {
                return Err(invalid_document(&format!(
                    "fragment \"{name}\" spreads itself"
                )));
            }
        };
        if measure.size > expansion::MAX_SIZE {
            return Err(limit_exceeded(
                &format!(
                    "the document has {} selections, directives and argument values with its fragments expanded; at most {} are allowed",
                    measure.size,
                    expansion::MAX_SIZE
                ),
                expansion::MAX_SIZE,
                "size",
                measure.size,
            ));
        }
        let writes = measure.mutation_root;
        if writes > self.max_mutations {
            return Err(limit_exceeded(
                &format!(
                    "the mutation runs {writes} fields; at most {} are allowed in one request",
                    self.max_mutations
                ),
                self.max_mutations,
                "mutations",
                writes,
            ));
        }
        let used = aliases(document);
        if used > self.max_aliases {
            return Err(limit_exceeded(
                &format!(
                    "the query uses {used} aliases; at most {} are allowed",
                    self.max_aliases
                ),
                self.max_aliases,
                "aliases",
                used,
            ));
        }
        Ok(())
    }

    /// Refuses a validated document nested deeper or costing more than allowed.
    pub fn check_validation(&self, result: &ValidationResult) -> Result<(), Vec<ServerError>> {
        if result.depth > self.max_depth {
            return Err(vec![limit_exceeded(
                &format!(
                    "the query is nested {} deep; at most {} levels are allowed",
                    result.depth, self.max_depth
                ),
                self.max_depth,
                "depth",
                result.depth,
            )]);
        }
        if result.complexity > self.max_cost {
            return Err(vec![limit_exceeded(
                &format!(
                    "the query costs {}; at most {} is allowed (ask for smaller pages)",
                    result.complexity, self.max_cost
                ),
                self.max_cost,
                "cost",
                result.complexity,
            )]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncoded_error_inside_execution_is_internal_and_says_nothing_more() {
        let mut inside = ServerError::new("Data `Secret` does not exist.", None);
        inside.path = vec![async_graphql::PathSegment::Field("child".into())];
        let inside = with_code(inside);
        assert_eq!(inside.message, "internal error");
        let code = inside
            .extensions
            .as_ref()
            .and_then(|e| e.get("code").cloned());
        assert_eq!(code, Some(async_graphql::Value::from("INTERNAL")));
        let parse = with_code(ServerError::new("Unknown field \"x\"", None));
        let code = parse
            .extensions
            .as_ref()
            .and_then(|e| e.get("code").cloned());
        assert_eq!(code, Some(async_graphql::Value::from("VALIDATION_FAILED")));
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(page_size(None), 20);
        assert_eq!(page_size(Some(5)), 5);
        assert_eq!(page_size(Some(-3)), 0);
        assert_eq!(page_size(Some(i32::MAX)), 100);
    }

    #[test]
    fn aliases_are_counted_in_operations_and_fragments() {
        let document = async_graphql::parser::parse_query(
            "query { a: me { id } b: me { id ...F } } fragment F on Me { c: id }",
        );
        assert_eq!(document.map(|d| aliases(&d)).ok(), Some(3));
    }

    #[test]
    fn a_parse_error_names_its_input_field() {
        assert_eq!(
            named_field(r#"Invalid value for argument "input.summary", too long"#).as_deref(),
            Some("summary")
        );
        assert_eq!(
            named_field(
                r#"Failed to parse "String": input field "givenName": at most 100 characters"#
            )
            .as_deref(),
            Some("givenName")
        );
        assert_eq!(
            named_field(r#"Unknown field "nonsense" on type "Query"."#),
            None
        );
    }
}
