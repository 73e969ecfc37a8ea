//! A document measured with its fragments expanded, as async-graphql will walk it: its
//! size, and how many fields a mutation runs at its root.
//!
//! A fragment may spread others, each more than once, so a document of a few hundred bytes
//! can stand for billions of selections (`fragment A on Query { ...B ...B }`, `B` spreading
//! `C` twice, …). async-graphql's preparation and validation walk every one of them, and
//! its check of how deep a document nests follows every spread (even of a fragment that
//! does not exist), before any of Concord's limits could refuse it. So each document is
//! measured here first, each fragment once and its measure reused wherever it is spread:
//!
//! - the **size** counts every field, fragment spread, inline fragment, directive and
//!   argument value node (a list of a thousand items is a thousand), fragments expanded,
//!   over every operation and every fragment definition (all of which are walked), and is
//!   at most [`MAX_SIZE`];
//! - spreads nest at most [`MAX_FRAGMENT_DEPTH`] deep, which also bounds this walk's own
//!   recursion (fields nest at most 64 deep in one definition, the parser's own limit);
//! - a spread of a fragment that is not defined, or that spreads itself, is refused here:
//!   async-graphql would walk it as often as it is spread before its validator refused it.

use std::collections::HashMap;

use async_graphql::Name;
use async_graphql::parser::Positioned;
use async_graphql::parser::types::{
    Directive, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use async_graphql_value::Value;

/// How deep fragment spreads may nest, as async-graphql's validator allows.
pub const MAX_FRAGMENT_DEPTH: usize = 32;

/// The largest size of a document: far above what any screen asks for (GraphiQL's schema
/// query is a few hundred), far below what would keep a worker busy.
pub const MAX_SIZE: usize = 20_000;

/// Why a document cannot be measured.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Fragment spreads nest deeper than [`MAX_FRAGMENT_DEPTH`].
    TooDeep,
    /// A spread names a fragment the document does not define.
    Unknown(String),
    /// A fragment spreads itself, directly or through others.
    Cycle(String),
}

/// What a document holds, fragments expanded.
#[derive(Debug, PartialEq, Eq)]
pub struct Measure {
    /// Its size, over every operation and fragment definition.
    pub size: usize,
    /// The most fields any mutation of the document runs at its root.
    pub mutation_root: usize,
}

/// Measures `document`.
pub fn measure(document: &ExecutableDocument) -> Result<Measure, Refusal> {
    let mut expander = Expander {
        document,
        known: HashMap::new(),
    };
    let mut measure = Measure {
        size: 0,
        mutation_root: 0,
    };
    for (_, operation) in document.operations.iter() {
        let expanded = expander.set(&operation.node.selection_set.node, 0)?;
        let directives = directives_size(&operation.node.directives);
        measure.size = measure
            .size
            .saturating_add(expanded.size)
            .saturating_add(directives);
        if operation.node.ty == OperationType::Mutation {
            measure.mutation_root = measure.mutation_root.max(expanded.root);
        }
    }
    for (name, fragment) in &document.fragments {
        let expanded = expander.spread(name, 0)?;
        let directives = directives_size(&fragment.node.directives);
        measure.size = measure
            .size
            .saturating_add(expanded.size)
            .saturating_add(directives);
    }
    Ok(measure)
}

/// A selection set with its fragments expanded.
#[derive(Clone, Copy, Debug, Default)]
struct Expanded {
    size: usize,
    /// The fields of its first level.
    root: usize,
}

impl Expanded {
    fn add(self, other: Self) -> Self {
        Self {
            size: self.size.saturating_add(other.size),
            root: self.root.saturating_add(other.root),
        }
    }
}

/// The nodes of a value: one, and those of its items.
fn value_size(value: &Value) -> usize {
    match value {
        Value::List(items) => items.iter().map(value_size).fold(1, usize::saturating_add),
        Value::Object(fields) => fields
            .values()
            .map(value_size)
            .fold(1, usize::saturating_add),
        _ => 1,
    }
}

fn directives_size(directives: &[Positioned<Directive>]) -> usize {
    directives
        .iter()
        .map(|directive| {
            directive
                .node
                .arguments
                .iter()
                .map(|(_, value)| argument_size(&value.node))
                .fold(1, usize::saturating_add)
        })
        .fold(0, usize::saturating_add)
}

/// An argument's value nodes; a variable counts one (its value is checked elsewhere).
fn argument_size(value: &Value) -> usize {
    value_size(value)
}

struct Expander<'a> {
    document: &'a ExecutableDocument,
    /// Each fragment's measure once taken; `None` while it is being taken.
    known: HashMap<&'a Name, Option<Expanded>>,
}

impl<'a> Expander<'a> {
    fn set(&mut self, set: &'a SelectionSet, depth: usize) -> Result<Expanded, Refusal> {
        let mut total = Expanded::default();
        for item in &set.items {
            let part = match &item.node {
                Selection::Field(field) => {
                    let inner = self.set(&field.node.selection_set.node, depth)?;
                    let arguments = field
                        .node
                        .arguments
                        .iter()
                        .map(|(_, value)| argument_size(&value.node))
                        .fold(0, usize::saturating_add);
                    let own = 1usize
                        .saturating_add(arguments)
                        .saturating_add(directives_size(&field.node.directives));
                    Expanded {
                        size: inner.size.saturating_add(own),
                        root: 1,
                    }
                }
                Selection::InlineFragment(fragment) => {
                    let inner = self.set(&fragment.node.selection_set.node, depth)?;
                    let own = 1usize.saturating_add(directives_size(&fragment.node.directives));
                    Expanded {
                        size: inner.size.saturating_add(own),
                        root: inner.root,
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let inner = self.spread(&spread.node.fragment_name.node, depth)?;
                    let own = 1usize.saturating_add(directives_size(&spread.node.directives));
                    Expanded {
                        size: inner.size.saturating_add(own),
                        root: inner.root,
                    }
                }
            };
            total = total.add(part);
        }
        Ok(total)
    }

    fn spread(&mut self, name: &'a Name, depth: usize) -> Result<Expanded, Refusal> {
        match self.known.get(name) {
            Some(Some(known)) => return Ok(*known),
            Some(None) => return Err(Refusal::Cycle(name.to_string())),
            None => {}
        }
        if depth >= MAX_FRAGMENT_DEPTH {
            return Err(Refusal::TooDeep);
        }
        let Some((name, fragment)) = self.document.fragments.get_key_value(name) else {
            return Err(Refusal::Unknown(name.to_string()));
        };
        self.known.insert(name, None);
        let expanded = self.set(&fragment.node.selection_set.node, depth + 1)?;
        self.known.insert(name, Some(expanded));
        Ok(expanded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(query: &str) -> Result<Measure, Refusal> {
        measure(&async_graphql::parser::parse_query(query).expect("parses"))
    }

    fn doubling(levels: usize, last: &str) -> String {
        let mut text = String::from("{ ...F0 }");
        for n in 0..levels {
            text.push_str(&format!(
                " fragment F{n} on Q {{ ...F{m} ...F{m} }}",
                m = n + 1
            ));
        }
        text + &format!(" fragment F{levels} on Q {{ {last} }}")
    }

    #[test]
    fn every_selection_counts_wherever_its_fragment_is_spread() {
        assert_eq!(
            of("{ a { b c } d }"),
            Ok(Measure {
                size: 4,
                mutation_root: 0
            })
        );
        // Arguments and directives count by their value nodes.
        assert_eq!(
            of("{ a(x: [1, 2, 3], y: { z: 1 }) @include(if: true) }").map(|m| m.size),
            Ok(1 + 4 + 2 + 2)
        );
        // `W` is walked where it is defined and at each of its two spreads.
        let writes = of("mutation { ...W ...W x } fragment W on M { y z { w } }");
        assert_eq!(
            writes,
            Ok(Measure {
                size: (1 + 3) * 2 + 1 + 3,
                mutation_root: 5
            })
        );
        // Twenty levels, each spreading the next twice: millions, measured at once.
        assert!(of(&doubling(20, "a")).is_ok_and(|m| m.size > 1 << 20));
        // Deeper than the validator allows, however little it holds.
        assert_eq!(of(&doubling(40, "a")), Err(Refusal::TooDeep));
    }

    #[test]
    fn a_spread_of_a_missing_or_self_spreading_fragment_is_refused() {
        assert_eq!(
            of(&doubling(22, "...Nope")),
            Err(Refusal::Unknown("Nope".into()))
        );
        assert_eq!(
            of("{ ...L } fragment L on Q { a ...L }"),
            Err(Refusal::Cycle("L".into()))
        );
    }

    #[test]
    fn operations_and_fragments_add_up() {
        let mut many = String::new();
        for n in 0..100 {
            many.push_str(&format!("query Q{n} {{ ...G }} "));
        }
        many.push_str("fragment G on Q { a b c }");
        // A hundred operations walk `G` a hundred times, and its definition once more.
        assert_eq!(of(&many).map(|m| m.size), Ok(100 * 4 + 3));
    }

    #[test]
    fn a_long_chain_of_fragments_is_refused_without_deep_recursion() {
        let mut chain = String::from("query Q { __typename } mutation M { ...f0 }");
        for n in 0..10_000 {
            chain.push_str(&format!(" fragment f{n} on M {{ ...f{} }}", n + 1));
        }
        chain.push_str(" fragment f10000 on M { a }");
        let document = async_graphql::parser::parse_query(&chain).expect("parses");
        // On a small stack: a recursion per link would overflow it.
        let measured = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || measure(&document))
            .expect("thread")
            .join()
            .expect("no overflow");
        assert_eq!(measured, Err(Refusal::TooDeep));
    }
}
