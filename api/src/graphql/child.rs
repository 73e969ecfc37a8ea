//! `Child`, `child` and `children`; `registerChild` is in `register`.

mod register;

pub use register::{ChildMutation, RegisterChildInput};

use super::scalars::{Date, DateTime};
use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{Context, Description, ID, InputObject, Object};
use entity::children;
use entity::enums::ChildStatus;

use super::agency::Agency;
use super::behaviour::Behaviour;
use super::chronology::ChronologyEntry;
use super::deadline::Deadline;
use super::involvement::Involvement;
use super::limits::size;
use super::loaders::{Loaders, loader_error};
use super::paging::{self, ConnectionFields};
use super::plan::JointPlan;
use super::{caller, db, ids};
use crate::domain::{self, children::ChildFilter as DomainFilter};
use crate::error::{ApiError, IntoGql};

/// The page size of a child's lists when the client gives none.
const DEFAULT_PAGE: u64 = 20;

/// A page of a child's behaviours.
pub type BehaviourConnection = Connection<String, Behaviour, ConnectionFields, EmptyFields>;

/// A page of a child's chronology.
pub type ChronologyEntryConnection =
    Connection<String, ChronologyEntry, ConnectionFields, EmptyFields>;

/// A page of a child's joint plans.
pub type JointPlanConnection = Connection<String, JointPlan, ConnectionFields, EmptyFields>;

/// A child or young person (under 18) whose case the partnership works. Only callers
/// with a case role whose agency is on the child's case team, or who hold an unexpired
/// emergency access grant, can see one; to anyone else it does not exist.
#[derive(Description)]
pub struct Child(pub children::Model);

#[Object(use_type_description)]
impl Child {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("Child", self.0.id)
    }
    /// The child's given (first) name.
    async fn given_name(&self) -> &str {
        &self.0.given_name
    }
    /// The child's family name (surname).
    async fn family_name(&self) -> &str {
        &self.0.family_name
    }
    /// The child's date of birth.
    async fn date_of_birth(&self) -> Date {
        self.0.date_of_birth.into()
    }
    /// The child's gender, as recorded by the registering agency (free text).
    async fn gender(&self) -> &str {
        &self.0.gender
    }
    /// NHS number: 10 digits, with its modulus-11 check digit verified; `null` when
    /// not recorded.
    async fn nhs_number(&self) -> Option<&str> {
        self.0.nhs_number.as_deref()
    }
    /// Unique pupil number (England's 13-character school identifier), with its check
    /// letter verified; `null` when not recorded.
    async fn unique_pupil_number(&self) -> Option<&str> {
        self.0.unique_pupil_number.as_deref()
    }
    /// The local authority's own case reference; `null` when not recorded.
    async fn local_authority_ref(&self) -> Option<&str> {
        self.0.local_authority_ref.as_deref()
    }
    /// The police's own reference for the child; `null` when not recorded.
    async fn police_ref(&self) -> Option<&str> {
        self.0.police_ref.as_deref()
    }
    /// Whether the child has special educational needs and disabilities (SEND).
    async fn send(&self) -> bool {
        self.0.send
    }
    /// Whether the child is looked after, i.e. in the care of the local authority.
    async fn looked_after(&self) -> bool {
        self.0.looked_after
    }
    /// Whether the partnership's case for the child is open or closed.
    async fn status(&self) -> ChildStatus {
        self.0.status
    }
    /// The record's version, raised by every change; a mutation that changes the record
    /// takes the value read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the child was registered in Concord.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When the child's own record (not its behaviours or plans) last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// Whether the child's identity or flags were ever corrected (`updateChild`).
    async fn amended(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        super::amendment::amended(ctx, self.0.id).await
    }
    /// Every earlier version of the child's identity and flags, oldest first, with who
    /// corrected it, when and why.
    #[graphql(complexity = "10 * child_complexity")]
    async fn history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::amendment::RecordVersion>> {
        super::amendment::readable_history(ctx, self.0.id).await
    }
    /// The child's case team: the agencies involved with the child and their roles.
    /// Only current involvements unless `activeOnly` is false.
    #[graphql(complexity = "size::INVOLVEMENTS * child_complexity")]
    async fn involvements(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = true,
            desc = "True (the default) for current involvements only; false to include ended ones."
        )]
        active_only: bool,
    ) -> async_graphql::Result<Vec<Involvement>> {
        let loaders = ctx.data::<Loaders>()?;
        let rows = loaders
            .involvements
            .load_one(self.0.id)
            .await
            .map_err(loader_error)?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .filter(|inv| !active_only || inv.ended_on.is_none())
            .map(Involvement)
            .collect())
    }
    /// The behaviours recorded about the child, by any agency on the case team, oldest
    /// first (by the day each happened). Restricted content is withheld from agencies
    /// that may not read it (see `Behaviour.restricted`). Page forwards with `first` and
    /// `after`.
    #[graphql(complexity = "super::limits::list_size(first, size::BEHAVIOURS) * child_complexity")]
    async fn behaviours(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many behaviours to return: 20 when absent, at most 100.")]
        first: Option<i32>,
        #[graphql(desc = "A `cursor` from an earlier page: return the behaviours after it.")]
        after: Option<String>,
    ) -> async_graphql::Result<BehaviourConnection> {
        let loaders = ctx.data::<Loaders>()?;
        let (rows, lead) = futures_util::try_join!(
            async {
                loaders
                    .behaviours
                    .load_one(self.0.id)
                    .await
                    .map_err(loader_error)
            },
            super::lead_agency_id(ctx, self.0.id),
        )?;
        let caller = caller(ctx)?;
        let window = paging::Window {
            first,
            after,
            ..paging::Window::default()
        };
        paging::window(
            rows.unwrap_or_default(),
            window,
            DEFAULT_PAGE,
            |row| row.id,
            |row| Behaviour(domain::behaviours::masked(caller, row, lead)),
        )
    }
    /// The multi-agency chronology: what each agency recorded about the child, in the
    /// order it happened (oldest first). Restricted entries are withheld from agencies
    /// that may not read them. Read it from the start with `first` and `after`, or as a
    /// timeline from the newest backwards with `last` and `before`.
    #[graphql(
        complexity = "super::limits::list_size(first.or(last), size::CHRONOLOGY) * child_complexity"
    )]
    async fn chronology(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many entries to return from the start (after `after`): 20 when neither `first` nor `last` is given, at most 100. Not with `last`."
        )]
        first: Option<i32>,
        #[graphql(desc = "A `cursor` from an earlier page: return the entries after it.")]
        after: Option<String>,
        #[graphql(
            desc = "How many entries to return from the end (before `before`), the newest last: at most 100. Not with `first`."
        )]
        last: Option<i32>,
        #[graphql(
            desc = "A `cursor` from an earlier page: return the entries just before it (the 20 before it when `last` is absent)."
        )]
        before: Option<String>,
    ) -> async_graphql::Result<ChronologyEntryConnection> {
        let loaders = ctx.data::<Loaders>()?;
        let (rows, lead) = futures_util::try_join!(
            async {
                loaders
                    .chronology
                    .load_one(self.0.id)
                    .await
                    .map_err(loader_error)
            },
            super::lead_agency_id(ctx, self.0.id),
        )?;
        let caller = caller(ctx)?;
        let window = paging::Window {
            first,
            after,
            last,
            before,
        };
        paging::window(
            rows.unwrap_or_default(),
            window,
            DEFAULT_PAGE,
            |row| row.id,
            |row| ChronologyEntry(domain::chronology::masked(caller, row, lead)),
        )
    }
    /// The child's joint plans that the caller's agency is a member of, oldest first.
    /// Page forwards with `first` and `after`.
    #[graphql(complexity = "super::limits::list_size(first, size::PLANS) * child_complexity")]
    async fn joint_plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many plans to return: 20 when absent, at most 100.")] first: Option<
            i32,
        >,
        #[graphql(desc = "A `cursor` from an earlier page: return the plans after it.")]
        after: Option<String>,
    ) -> async_graphql::Result<JointPlanConnection> {
        let caller = caller(ctx)?;
        let rows = ctx
            .data::<Loaders>()?
            .plans(&caller.actor)
            .gql()?
            .load_one(self.0.id)
            .await
            .map_err(loader_error)?
            .unwrap_or_default();
        let window = paging::Window {
            first,
            after,
            ..paging::Window::default()
        };
        paging::window(rows, window, DEFAULT_PAGE, |row| row.id, JointPlan)
    }
    /// The child's statutory and procedural deadlines (referral decision, strategy
    /// discussion, conference, assessment, reviews), soonest first.
    #[graphql(complexity = "size::DEADLINES * child_complexity")]
    async fn deadlines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Deadline>> {
        let rows = super::assessment::load_many!(ctx, deadlines, self.0.id);
        let child = std::sync::Arc::new(self.0.clone());
        Ok(domain::deadlines::as_noted(caller(ctx)?, rows, &child)
            .into_iter()
            .map(Deadline)
            .collect())
    }
    /// The child's joint assessments, newest first: the one in progress, if any, and
    /// every completed or superseded one.
    #[graphql(complexity = "size::ASSESSMENTS * child_complexity")]
    async fn assessments(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::assessment::Assessment>> {
        let rows = super::assessment::load_many!(ctx, assessments, self.0.id);
        Ok(rows
            .into_iter()
            .map(super::assessment::Assessment)
            .collect())
    }
    /// The last day the record is kept under the retention schedule (the policy file's
    /// `[retention]`), by its record class: after it, once the case is closed and no
    /// legal hold is active, the retention run erases the record. An open case is never
    /// erased, whatever this day. For the case roles of the child's lead agency; null for
    /// every other agency (the record class would tell a partner of plans it is not on).
    async fn retain_until(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Date>> {
        Ok(self
            .retention_for_lead(ctx)
            .await?
            .map(|retention| retention.retain_until.into()))
    }
    /// The rule that set `retainUntil`: the record class and its period, e.g.
    /// `CHILD_PROTECTION: 35 years after last contact`. For the case roles of the child's
    /// lead agency; null for every other agency.
    async fn retention_rule(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self
            .retention_for_lead(ctx)
            .await?
            .map(|retention| retention.rule))
    }
    /// The legal holds on the child's record, active and released, oldest first: for the
    /// case roles of the child's lead agency; null for every other agency.
    async fn legal_holds(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<super::legal_hold::LegalHold>>> {
        let lead = super::lead_agency_id(ctx, self.0.id).await?;
        if !crate::policy::can_see_legal_holds(&caller(ctx)?.actor, lead) {
            return Ok(None);
        }
        let rows = ctx
            .data::<Loaders>()?
            .legal_holds
            .load_one(self.0.id)
            .await
            .map_err(loader_error)?
            .unwrap_or_default();
        Ok(Some(
            rows.into_iter().map(super::legal_hold::LegalHold).collect(),
        ))
    }
    /// The lead agency: the one whose current involvement is `LEAD`; `null` when no
    /// current involvement is `LEAD`.
    async fn lead_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(lead) = super::lead_agency_id(ctx, self.0.id).await? else {
            return Ok(None);
        };
        Ok(Some(super::agency_by_id(ctx, lead).await?))
    }
}

impl Child {
    /// The child's retention, for the case roles of its lead agency only (who also see its
    /// legal holds).
    async fn retention_for_lead(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<domain::retention::Retention>> {
        let lead = super::lead_agency_id(ctx, self.0.id).await?;
        if !crate::policy::can_see_legal_holds(&caller(ctx)?.actor, lead) {
            return Ok(None);
        }
        Ok(Some(self.retention(ctx).await?))
    }

    /// The child's retention under the schedule in force.
    async fn retention(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<domain::retention::Retention> {
        let facts = ctx
            .data::<Loaders>()?
            .retention
            .load_one(self.0.id)
            .await
            .map_err(loader_error)?
            .unwrap_or_else(|| domain::retention::RetentionFacts::of_child(&self.0));
        Ok(domain::retention::retention(
            &facts,
            &super::config(ctx)?.retention,
        ))
    }
}

/// Filters of `children`; omitted fields do not filter.
#[derive(InputObject, Default)]
pub struct ChildFilter {
    /// Only children whose case has this status.
    pub status: Option<ChildStatus>,
}

/// Child queries.
#[derive(Default)]
pub struct ChildQuery;

#[Object]
impl ChildQuery {
    /// One child whose case team the caller's agency is on (or for whom the caller holds
    /// an emergency access grant); `NOT_FOUND` when missing or not visible, and the read
    /// is audited.
    async fn child(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The child's global id.")] id: ID,
    ) -> async_graphql::Result<Child> {
        let caller = caller(ctx)?;
        let uuid = match ids::decode(&id) {
            Some((kind, uuid)) if kind == "Child" => uuid,
            _ => return Err(ApiError::NotFound).gql(),
        };
        let look = ctx.look_ahead();
        let (child, prefetched) =
            domain::visible::read_child_audited_with(db(ctx)?, caller, uuid, |child| async move {
                super::prefetch::children(ctx, &look, std::slice::from_ref(&child)).await
            })
            .await
            .gql()?;
        prefetched?;
        Ok(Child(child))
    }

    /// The children whose case team the caller's agency is on, oldest registration first,
    /// as a page.
    #[graphql(complexity = "super::limits::page_size(first) * child_complexity")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which children to list; all visible ones when omitted.")] filter: Option<
            ChildFilter,
        >,
        #[graphql(desc = "How many to return: 20 when omitted, at most 100.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Child, ConnectionFields, EmptyFields>> {
        let caller = caller(ctx)?;
        let request = paging::request(ctx, first, after, 20)?;
        let filter = DomainFilter {
            status: filter.and_then(|f| f.status),
        };
        let node = ctx.look_ahead().field("edges").field("node");
        let (page, prefetched) =
            domain::children::list_audited(db(ctx)?, caller, filter, request, |kids| async move {
                super::prefetch::children(ctx, &node, &kids).await
            })
            .await
            .gql()?;
        prefetched?;
        Ok(paging::connection(request, page, |child| child.id, Child))
    }
}
