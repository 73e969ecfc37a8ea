//! The futures async-graphql builds for the fields of the types a page or an event stream
//! repeats stay small: each field of each object is a future of its object's largest
//! field, moved into a box, so an audited read held inline by one field (about 6 KB) was
//! copied for every `id` of every behaviour on a page. See the module doc of `graphql`.

use std::future::Future;

use async_graphql::{ContainerType, Context};

use super::action::{Consultation, PlanAction};
use super::agency::Agency;
use super::assessment::Assessment;
use super::behaviour::{AffectedChild, Behaviour};
use super::child::Child;
use super::chronology::ChronologyEntry;
use super::deadline::DeadlineTotal;
use super::disclosure::DisclosureRequest;
use super::events::PlanEvent;
use super::grant::AccessGrant;
use super::involvement::Involvement;
use super::plan::JointPlan;
use super::referral::Referral;

/// The size of the future `resolve_field` returns for `T`, without making one.
fn field_future<'a, T: 'a, F: Future>(_: fn(&'a T, &'a Context<'a>) -> F) -> usize {
    std::mem::size_of::<F>()
}

/// Far below the 6 KB of a field that held an audited read inline, with room for the
/// unoptimised builds the tests run.
const LIMIT: usize = 3 * 1024;

#[test]
fn the_field_futures_of_repeated_types_are_small() {
    let sizes = [
        (
            "Behaviour",
            field_future(<Behaviour as ContainerType>::resolve_field),
        ),
        (
            "JointPlan",
            field_future(<JointPlan as ContainerType>::resolve_field),
        ),
        (
            "PlanAction",
            field_future(<PlanAction as ContainerType>::resolve_field),
        ),
        (
            "Involvement",
            field_future(<Involvement as ContainerType>::resolve_field),
        ),
        (
            "Child",
            field_future(<Child as ContainerType>::resolve_field),
        ),
        (
            "ChronologyEntry",
            field_future(<ChronologyEntry as ContainerType>::resolve_field),
        ),
        (
            "Consultation",
            field_future(<Consultation as ContainerType>::resolve_field),
        ),
        (
            "Agency",
            field_future(<Agency as ContainerType>::resolve_field),
        ),
        (
            "PlanEvent",
            field_future(<PlanEvent as ContainerType>::resolve_field),
        ),
        (
            "AffectedChild",
            field_future(<AffectedChild as ContainerType>::resolve_field),
        ),
        (
            "Assessment",
            field_future(<Assessment as ContainerType>::resolve_field),
        ),
        (
            "AccessGrant",
            field_future(<AccessGrant as ContainerType>::resolve_field),
        ),
        (
            "Referral",
            field_future(<Referral as ContainerType>::resolve_field),
        ),
        (
            "DisclosureRequest",
            field_future(<DisclosureRequest as ContainerType>::resolve_field),
        ),
        (
            "DeadlineTotal",
            field_future(<DeadlineTotal as ContainerType>::resolve_field),
        ),
    ];
    println!("{sizes:?}");
    let large: Vec<_> = sizes.iter().filter(|(_, size)| *size > LIMIT).collect();
    assert!(
        large.is_empty(),
        "field futures above {LIMIT} bytes: {large:?}"
    );
}
