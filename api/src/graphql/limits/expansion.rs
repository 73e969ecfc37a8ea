//! A document measured with its fragments expanded, as it would run: how many fields it
//! selects in all, and how many a mutation runs at its root.
//!
//! A fragment may spread others, each more than once, so a document of a few hundred bytes
//! can stand for billions of fields (`fragment A on Query { ...B ...B }`, `B` spreading `C`
//! twice, …), which async-graphql's validator would walk one by one. Each fragment is
//! measured once here and its measure reused wherever it is spread, and spreads are
//! followed at most [`MAX_FRAGMENT_DEPTH`] deep, so that neither the time nor the stack this
//! takes grows with what the document stands for.

use std::collections::HashMap;

use async_graphql::Name;
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};

/// How deep fragment spreads may nest, as async-graphql's validator allows.
pub const MAX_FRAGMENT_DEPTH: usize = 32;

/// The most fields a document may select with its fragments expanded: far above what any
/// screen asks for (GraphiQL's schema query is a few hundred), far below what would keep a
/// worker busy.
pub const MAX_FIELDS: usize = 20_000;

/// A selection set with its fragments expanded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Expanded {
    /// Every field, at every level.
    pub fields: usize,
    /// The fields of its first level.
    pub root: usize,
}

impl Expanded {
    fn add(self, other: Self) -> Self {
        Self {
            fields: self.fields.saturating_add(other.fields),
            root: self.root.saturating_add(other.root),
        }
    }
}

/// What a document selects, fragments expanded.
#[derive(Debug, PartialEq, Eq)]
pub struct Measure {
    /// The most fields any operation or fragment of the document expands to.
    pub fields: usize,
    /// The most fields any mutation of the document runs at its root.
    pub mutation_root: usize,
}

/// Measures `document`; `None` when its fragment spreads nest deeper than
/// [`MAX_FRAGMENT_DEPTH`].
pub fn measure(document: &ExecutableDocument) -> Option<Measure> {
    let mut expander = Expander {
        document,
        known: HashMap::new(),
    };
    let mut measure = Measure {
        fields: 0,
        mutation_root: 0,
    };
    for (_, operation) in document.operations.iter() {
        let expanded = expander.set(&operation.node.selection_set.node, 0)?;
        measure.fields = measure.fields.max(expanded.fields);
        if operation.node.ty == OperationType::Mutation {
            measure.mutation_root = measure.mutation_root.max(expanded.root);
        }
    }
    for name in document.fragments.keys() {
        let expanded = expander.spread(name, 0)?;
        measure.fields = measure.fields.max(expanded.fields);
    }
    Some(measure)
}

struct Expander<'a> {
    document: &'a ExecutableDocument,
    /// Each fragment's measure once taken; `None` while it is being taken.
    known: HashMap<&'a Name, Option<Expanded>>,
}

impl<'a> Expander<'a> {
    fn set(&mut self, set: &'a SelectionSet, depth: usize) -> Option<Expanded> {
        let mut total = Expanded::default();
        for item in &set.items {
            let part = match &item.node {
                Selection::Field(field) => {
                    // Nesting of fields is bounded by the parser's own recursion limit.
                    let inner = self.set(&field.node.selection_set.node, depth)?;
                    Expanded {
                        fields: inner.fields.saturating_add(1),
                        root: 1,
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.set(&fragment.node.selection_set.node, depth)?
                }
                Selection::FragmentSpread(spread) => {
                    self.spread(&spread.node.fragment_name.node, depth)?
                }
            };
            total = total.add(part);
        }
        Some(total)
    }

    fn spread(&mut self, name: &'a Name, depth: usize) -> Option<Expanded> {
        match self.known.get(name) {
            Some(Some(known)) => return Some(*known),
            // A fragment that spreads itself: the validator refuses the cycle.
            Some(None) => return Some(Expanded::default()),
            None => {}
        }
        if depth >= MAX_FRAGMENT_DEPTH {
            return None;
        }
        // An unknown fragment: the validator refuses it.
        let Some((name, fragment)) = self.document.fragments.get_key_value(name) else {
            return Some(Expanded::default());
        };
        self.known.insert(name, None);
        let expanded = self.set(&fragment.node.selection_set.node, depth + 1)?;
        self.known.insert(name, Some(expanded));
        Some(expanded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(query: &str) -> Option<Measure> {
        measure(&async_graphql::parser::parse_query(query).expect("parses"))
    }

    #[test]
    fn fragments_count_wherever_they_are_spread_without_being_walked_again() {
        let plain = of("{ a { b c } d }").expect("measured");
        assert_eq!(
            plain,
            Measure {
                fields: 4,
                mutation_root: 0
            }
        );
        let writes =
            of("mutation { ...W ...W x } fragment W on M { y z { w } }").expect("measured");
        assert_eq!(
            writes,
            Measure {
                fields: 7,
                mutation_root: 5
            }
        );
        // Forty fragments, each spreading the next twice: 2^40 fields, measured at once.
        let mut doubling = String::from("{ ...F0 }");
        for n in 0..40 {
            doubling.push_str(&format!(
                " fragment F{n} on Q {{ ...F{m} ...F{m} }}",
                m = n + 1
            ));
        }
        doubling.push_str(" fragment F40 on Q { a }");
        // Deeper than the validator allows: refused whatever it counts.
        assert_eq!(of(&doubling), None);
        let mut shallow = String::from("{ ...F0 }");
        for n in 0..20 {
            shallow.push_str(&format!(
                " fragment F{n} on Q {{ ...F{m} ...F{m} }}",
                m = n + 1
            ));
        }
        shallow.push_str(" fragment F20 on Q { a }");
        assert_eq!(of(&shallow).map(|m| m.fields), Some(1 << 20));
        // A cycle adds nothing (the validator refuses it), and ends.
        assert_eq!(
            of("{ ...L } fragment L on Q { a ...L }"),
            Some(Measure {
                fields: 1,
                mutation_root: 0
            })
        );
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
        assert_eq!(measured, None);
    }
}
