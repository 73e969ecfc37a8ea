//! Rows decoded by column position, for the lists read in bulk.
//!
//! The `FromQueryResult` that sea-orm derives for a `Model` finds each column by name: one
//! hash-map look-up and a string comparison per column per row. On the caseload (the
//! busiest agency's first page holds about 700 behaviours of 23 columns) that look-up was a
//! fifth of the time spent decoding. `Entity::find()` selects every column in the order of
//! the `Model`'s fields, so a read that selects nothing else can take them by position:
//! `Entity::find().…into_model::<ByIndex<Model>>()`. Each value still goes through
//! sea-orm's own decoding for its type, NULL and the stored enums included.
//!
//! [`by_index!`] lists a model's fields in that order; the tests check the list against the
//! entity's columns, so a field added, moved or renamed fails them instead of shifting
//! values into the wrong field.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryResult, Select};

/// A `Model` decoded by position (see the module's documentation).
pub struct ByIndex<M>(pub M);

impl<M> ByIndex<M> {
    /// The model.
    pub fn into_inner(self) -> M {
        self.0
    }
}

/// Every row `select` (an `Entity::find()` with filters and order, no other columns)
/// finds, decoded by position.
pub async fn all<E, C>(select: Select<E>, db: &C) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    ByIndex<E::Model>: FromQueryResult,
    C: ConnectionTrait,
{
    let rows = select.into_model::<ByIndex<E::Model>>().all(db).await?;
    Ok(rows.into_iter().map(ByIndex::into_inner).collect())
}

/// Decodes the next column of `row` (`at` counts them) as whatever the field needs.
fn next<T: sea_orm::TryGetable>(row: &QueryResult, at: &mut usize) -> Result<T, DbErr> {
    let value = row.try_get_by(*at)?;
    *at += 1;
    Ok(value)
}

/// `ByIndex<module::Model>` decoded from `module::Entity::find()`'s columns, given the
/// model's fields in their order. A prefixed read (a nested model in a join) falls back to
/// the derived decoding by name.
macro_rules! by_index {
    ($($module:ident { $($field:ident),+ $(,)? })+) => {
        $(
            impl FromQueryResult for ByIndex<crate::$module::Model> {
                fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
                    if !pre.is_empty() {
                        return crate::$module::Model::from_query_result(row, pre).map(ByIndex);
                    }
                    let mut at = 0;
                    Ok(ByIndex(crate::$module::Model {
                        $($field: next(row, &mut at)?,)+
                    }))
                }
            }

            impl ByIndex<crate::$module::Model> {
                /// The fields, in the order they are read.
                pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),+];
            }

            #[cfg(test)]
            mod $module {
                use sea_orm::{IdenStatic, Iterable};

                #[test]
                fn lists_the_entitys_columns_in_the_order_find_selects_them() {
                    let columns: Vec<&str> =
                        <crate::$module::Column as Iterable>::iter()
                            .map(|c| IdenStatic::as_str(&c))
                            .collect();
                    assert_eq!(super::ByIndex::<crate::$module::Model>::FIELDS, columns);
                }
            }
        )+
    };
}

by_index! {
    behaviours {
        id, child_id, agency_id, recorded_by, occurred_on, disclosed_at, setting,
        contact_type, description, continuum, traffic_light, suggested_traffic_light,
        indicators, classification_rationale, escalated, sensitivity, shared_with, version,
        created_at, updated_at, entered_in_error_at, entered_in_error_by,
        entered_in_error_reason,
    }
    chronology_entries {
        id, child_id, behaviour_id, kind, occurred_at, agency_id, recorded_by, summary,
        sensitivity, shared_with, version, created_at, updated_at, entered_in_error_at,
        entered_in_error_by, entered_in_error_reason,
    }
    involvements {
        id, child_id, agency_id, role, lead_practitioner, started_on, ended_on, reason,
        end_reason, version, created_at, updated_at,
    }
    joint_plans {
        id, child_id, title, status, pathway, lead_agency_id, risk_summary, next_review_due,
        activated_at, closed_at, version, created_at, updated_at,
    }
    plan_actions {
        id, plan_id, assigned_agency_id, kind, description, due_on, status, created_by,
        version, created_at, updated_at,
    }
    consultations {
        id, action_id, agency_id, status, response_note, responded_by, responded_at,
        override_reason, overridden_by, overridden_at, version, created_at, updated_at,
    }
}
