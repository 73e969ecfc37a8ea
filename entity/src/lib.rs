//! SeaORM entities of Concord: one module per table, with relations and no business rules.

pub mod access_grants;
pub mod affected_children;
pub mod agencies;
pub mod assessment_contributions;
pub mod assessment_needs;
pub mod assessments;
pub mod audit_events;
pub mod behaviours;
pub mod by_index;
pub mod children;
pub mod chronology_entries;
pub mod consultations;
pub mod deadline_notes;
pub mod deadline_policy;
pub mod deadlines;
pub mod disclosure_requests;
pub mod enums;
pub mod erasures;
pub mod involvements;
pub mod joint_plans;
pub mod legal_holds;
pub mod plan_action_needs;
pub mod plan_actions;
pub mod plan_events;
pub mod plan_members;
pub mod plan_reviews;
pub mod record_versions;
pub mod referrals;

/// The entities under short names, as SeaORM's own examples export them.
pub mod prelude {
    pub use super::access_grants::Entity as AccessGrants;
    pub use super::affected_children::Entity as AffectedChildren;
    pub use super::agencies::Entity as Agencies;
    pub use super::assessment_contributions::Entity as AssessmentContributions;
    pub use super::assessment_needs::Entity as AssessmentNeeds;
    pub use super::assessments::Entity as Assessments;
    pub use super::audit_events::Entity as AuditEvents;
    pub use super::behaviours::Entity as Behaviours;
    pub use super::children::Entity as Children;
    pub use super::chronology_entries::Entity as ChronologyEntries;
    pub use super::consultations::Entity as Consultations;
    pub use super::deadline_notes::Entity as DeadlineNotes;
    pub use super::deadline_policy::Entity as DeadlinePolicy;
    pub use super::deadlines::Entity as Deadlines;
    pub use super::disclosure_requests::Entity as DisclosureRequests;
    pub use super::erasures::Entity as Erasures;
    pub use super::involvements::Entity as Involvements;
    pub use super::joint_plans::Entity as JointPlans;
    pub use super::legal_holds::Entity as LegalHolds;
    pub use super::plan_action_needs::Entity as PlanActionNeeds;
    pub use super::plan_actions::Entity as PlanActions;
    pub use super::plan_events::Entity as PlanEvents;
    pub use super::plan_members::Entity as PlanMembers;
    pub use super::plan_reviews::Entity as PlanReviews;
    pub use super::referrals::Entity as Referrals;
}
