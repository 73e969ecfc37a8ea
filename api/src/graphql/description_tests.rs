//! The schema documents itself: every type, field, argument, input field and enum
//! value carries a description a front-end developer at a partner agency can work
//! from, in the schema's own words.

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{
    FieldDefinition, InputValueDefinition, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Positioned, parser::types::DirectiveDefinition};

/// Scalars and directives the GraphQL specification defines; their descriptions are
/// not ours to write.
const BUILT_IN: &[&str] = &[
    "String",
    "Int",
    "Float",
    "Boolean",
    "ID",
    "include",
    "skip",
    "deprecated",
    "specifiedBy",
    "oneOf",
];

/// Fewer words than this is a label, not a description ("Who.", "When.").
const MIN_WORDS: usize = 3;

/// What is wrong with a description, if anything.
fn fault(description: Option<&Positioned<String>>) -> Option<&'static str> {
    let Some(text) = description.map(|text| text.node.as_str()) else {
        return Some("missing");
    };
    if text.split_whitespace().count() < MIN_WORDS {
        Some("too short")
    } else if text.contains("DESIGN") || text.contains('§') {
        Some("cites a document outside the repository")
    } else {
        None
    }
}

fn check_inputs(
    owner: &str,
    inputs: &[Positioned<InputValueDefinition>],
    faults: &mut Vec<String>,
) {
    for input in inputs {
        let input = &input.node;
        if let Some(fault) = fault(input.description.as_ref()) {
            faults.push(format!("{owner}.{} ({fault})", input.name.node));
        }
    }
}

fn check_fields(owner: &str, fields: &[Positioned<FieldDefinition>], faults: &mut Vec<String>) {
    for field in fields {
        let field = &field.node;
        let coordinate = format!("{owner}.{}", field.name.node);
        if let Some(fault) = fault(field.description.as_ref()) {
            faults.push(format!("{coordinate} ({fault})"));
        }
        check_inputs(&coordinate, &field.arguments, faults);
    }
}

fn check_directive(directive: &DirectiveDefinition, faults: &mut Vec<String>) {
    let name = directive.name.node.as_str();
    if BUILT_IN.contains(&name) {
        return;
    }
    let coordinate = format!("@{name}");
    if let Some(fault) = fault(directive.description.as_ref()) {
        faults.push(format!("{coordinate} ({fault})"));
    }
    check_inputs(&coordinate, &directive.arguments, faults);
}

/// Every schema coordinate whose description is missing, too short, or cites a
/// document outside the repository, with what is wrong.
fn description_faults(sdl: &str) -> Vec<String> {
    let document = match parse_schema(sdl) {
        Ok(document) => document,
        Err(error) => return vec![format!("the SDL does not parse: {error}")],
    };
    let mut faults = Vec::new();
    for definition in &document.definitions {
        let definition = match definition {
            TypeSystemDefinition::Type(definition) => &definition.node,
            TypeSystemDefinition::Directive(directive) => {
                check_directive(&directive.node, &mut faults);
                continue;
            }
            TypeSystemDefinition::Schema(_) => continue,
        };
        let name = definition.name.node.as_str();
        if name.starts_with("__") || BUILT_IN.contains(&name) {
            continue;
        }
        if let Some(fault) = fault(definition.description.as_ref()) {
            faults.push(format!("{name} ({fault})"));
        }
        match &definition.kind {
            TypeKind::Object(object) => check_fields(name, &object.fields, &mut faults),
            TypeKind::Interface(interface) => check_fields(name, &interface.fields, &mut faults),
            TypeKind::InputObject(input) => check_inputs(name, &input.fields, &mut faults),
            TypeKind::Enum(enumeration) => {
                for value in &enumeration.values {
                    let value = &value.node;
                    if let Some(fault) = fault(value.description.as_ref()) {
                        faults.push(format!("{name}.{} ({fault})", value.value.node));
                    }
                }
            }
            TypeKind::Scalar | TypeKind::Union(_) => {}
        }
    }
    faults
}

#[test]
fn every_schema_coordinate_has_a_description() {
    let faults = description_faults(&super::sdl());
    assert!(
        faults.is_empty(),
        "{} schema coordinates lack a usable description:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[test]
fn the_check_finds_missing_short_and_outside_descriptions() {
    let sdl = r#"
        "A thing a partner agency records about a child."
        type Thing {
            "Who."
            who: String!
            untold(
                "See DESIGN §4 for what it means."
                arg: Int
            ): Int
        }
        enum Colour { RED }
    "#;
    assert_eq!(
        description_faults(sdl),
        [
            "Thing.who (too short)",
            "Thing.untold (missing)",
            "Thing.untold.arg (cites a document outside the repository)",
            "Colour (missing)",
            "Colour.RED (missing)",
        ]
    );
}
