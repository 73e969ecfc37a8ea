//! DataLoaders, made anew for every request so no cache is shared between users.
//!
//! Every relation a list reaches (a page of children's behaviours, their plans, the plans'
//! actions, …) is read in one statement per level, never one per row, and kept for the
//! rest of the request so that one child's case team is read once however many fields
//! ask for it (the lead agency that masks each behaviour and chronology entry). A
//! mutation changes what the next field must see, so every cache is emptied after each
//! top-level mutation field (by `graphql::hooks`).
//!
//! A loader keyed by child, plan or action is only ever asked about rows already found
//! visible to the caller, exactly as the per-row reads it replaces; plans, which are
//! visible to their member agencies only, are also filtered by `policy::visible_plans`
//! for the one caller the loader was made for.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{
    affected_children, agencies, assessment_contributions, assessment_needs, assessments,
    behaviours, children, chronology_entries, consultations, involvements, joint_plans,
    plan_actions, plan_members,
};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::auth::Actor;
use crate::domain;
use crate::domain::Caller;
use crate::error::{ApiError, ApiResult};

/// The most keys one statement binds. A page's keys (at most 100 children, their plans,
/// actions, …) fit in one; a longer list is read this many at a time, so no statement's
/// parameter list grows with the data.
pub const KEYS_PER_STATEMENT: usize = 500;

/// Reads `keys` through `read`, [`KEYS_PER_STATEMENT`] at a time.
pub(super) async fn chunked<T, F, Fut>(keys: &[Uuid], read: F) -> Result<Vec<T>, Arc<ApiError>>
where
    F: Fn(Vec<Uuid>) -> Fut,
    Fut: std::future::Future<Output = ApiResult<Vec<T>>>,
{
    let mut rows = Vec::new();
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        rows.extend(read(chunk.to_vec()).await.map_err(Arc::new)?);
    }
    Ok(rows)
}

/// A loader of this request, caching what it read.
pub type Cached<T> = DataLoader<T, HashMapCache>;

fn cached<T: Loader<Uuid>>(loader: T) -> Cached<T> {
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

/// `rows` grouped under each of `keys` (an empty list for a key without rows), in the
/// order the query returned them.
pub(super) fn group<T>(
    keys: &[Uuid],
    rows: Vec<T>,
    key_of: impl Fn(&T) -> Uuid,
) -> HashMap<Uuid, Vec<T>> {
    let mut by_key: HashMap<Uuid, Vec<T>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for row in rows {
        by_key.entry(key_of(&row)).or_default().push(row);
    }
    by_key
}

/// (key, row) pairs grouped under each of `keys`, as [`group`] does for rows that carry
/// their key.
fn group_pairs<T>(keys: &[Uuid], pairs: Vec<(Uuid, T)>) -> HashMap<Uuid, Vec<T>> {
    let mut by_key: HashMap<Uuid, Vec<T>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for (key, row) in pairs {
        by_key.entry(key).or_default().push(row);
    }
    by_key
}

/// Agencies by id.
pub struct AgencyLoader(pub DatabaseConnection);

impl Loader<Uuid> for AgencyLoader {
    type Value = agencies::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = chunked(keys, |ids| async move {
            domain::agencies::by_ids(&self.0, &ids).await
        })
        .await?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

/// Assessments by id (asked only about assessments already found visible).
pub struct AssessmentLoader(pub DatabaseConnection);

impl Loader<Uuid> for AssessmentLoader {
    type Value = assessments::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = chunked(keys, |ids| async move {
            domain::assessments::by_ids(&self.0, &ids).await
        })
        .await?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

/// Defines a loader of the rows of several parents, grouped by parent id.
macro_rules! by_parent {
    ($(#[$doc:meta])* $name:ident, $model:ty, $read:path, $parent:ident) => {
        $(#[$doc])*
        pub struct $name(pub DatabaseConnection);

        impl Loader<Uuid> for $name {
            type Value = Vec<$model>;
            type Error = Arc<ApiError>;

            async fn load(
                &self,
                keys: &[Uuid],
            ) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
                let rows = chunked(keys, |ids| async move { $read(&self.0, &ids).await }).await?;
                Ok(group(keys, rows, |row| row.$parent))
            }
        }
    };
}

by_parent!(
    /// The involvements of a child, current and ended, by child id.
    InvolvementsLoader,
    involvements::Model,
    domain::involvements::of_children,
    child_id
);
by_parent!(
    /// The behaviours of a child, oldest first, by child id.
    BehavioursLoader,
    behaviours::Model,
    domain::behaviours::of_children,
    child_id
);
by_parent!(
    /// The chronology of a child, in time order, by child id.
    ChronologyLoader,
    chronology_entries::Model,
    domain::chronology::of_children,
    child_id
);
by_parent!(
    /// The actions of a plan, by plan id.
    ActionsLoader,
    plan_actions::Model,
    domain::actions::of_plans,
    plan_id
);
by_parent!(
    /// The consultations of an action, by action id.
    ConsultationsLoader,
    consultations::Model,
    domain::consultations::of_actions,
    action_id
);

by_parent!(
    /// The other children involved in a behaviour, by behaviour id.
    AffectedLoader,
    affected_children::Model,
    domain::behaviours::affected_of_many,
    behaviour_id
);
by_parent!(
    /// The current members of a plan, by plan id.
    MembersLoader,
    plan_members::Model,
    domain::plans::members_of_plans,
    plan_id
);

by_parent!(
    /// The assessments of a child, newest first, by child id.
    AssessmentsLoader,
    assessments::Model,
    domain::assessments::of_children,
    child_id
);
by_parent!(
    /// The contributions to an assessment, in the order asked, by assessment id.
    ContributionsLoader,
    assessment_contributions::Model,
    domain::assessments::contributions::of_assessments,
    assessment_id
);
by_parent!(
    /// The needs an assessment identified, in its order, by assessment id.
    NeedsLoader,
    assessment_needs::Model,
    domain::assessments::needs::of_assessments,
    assessment_id
);

/// The needs an action addresses, by action id.
pub struct NeedsOfActionLoader(pub DatabaseConnection);

impl Loader<Uuid> for NeedsOfActionLoader {
    type Value = Vec<assessment_needs::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let pairs = chunked(keys, |ids| async move {
            domain::assessments::needs::addressed_by_actions(&self.0, &ids).await
        })
        .await?;
        Ok(group_pairs(keys, pairs))
    }
}

/// The actions addressing a need, of the plans one caller reads, by need id.
pub struct ActionsOfNeedLoader {
    db: DatabaseConnection,
    actor: Actor,
}

impl Loader<Uuid> for ActionsOfNeedLoader {
    type Value = Vec<plan_actions::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let pairs = chunked(keys, |ids| async move {
            domain::assessments::needs::actions_addressing_needs(&self.db, &self.actor, &ids).await
        })
        .await?;
        Ok(group_pairs(keys, pairs))
    }
}

/// The plans of a child that one caller may read, by child id.
pub struct PlansLoader {
    db: DatabaseConnection,
    actor: Actor,
}

impl Loader<Uuid> for PlansLoader {
    type Value = Vec<joint_plans::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = chunked(keys, |ids| async move {
            domain::plans::of_children(&self.db, &self.actor, &ids).await
        })
        .await?;
        Ok(group(keys, rows, |plan| plan.child_id))
    }
}

/// The children one caller may read ([`crate::policy::visible_children`] at the request's
/// clock), by id; a child the caller may not read is simply absent.
pub struct VisibleChildrenLoader {
    db: DatabaseConnection,
    actor: Actor,
    clock: crate::domain::Clock,
}

impl Loader<Uuid> for VisibleChildrenLoader {
    type Value = children::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = chunked(keys, |ids| async move {
            domain::visible::children_of(&self.db, &self.actor, self.clock.now(), &ids).await
        })
        .await?;
        Ok(rows.into_iter().map(|row| (row.id, row)).collect())
    }
}

/// The loaders of one request.
pub struct Loaders {
    /// Agencies by id.
    pub agencies: Cached<AgencyLoader>,
    /// Involvements by child id.
    pub involvements: Cached<InvolvementsLoader>,
    /// Behaviours by child id.
    pub behaviours: Cached<BehavioursLoader>,
    /// Chronology entries by child id.
    pub chronology: Cached<ChronologyLoader>,
    /// Stored deadlines with their late reasons by child id.
    pub deadlines: Cached<super::deadline::DeadlinesLoader>,
    /// Actions by plan id.
    pub actions: Cached<ActionsLoader>,
    /// Consultations by action id.
    pub consultations: Cached<ConsultationsLoader>,
    /// Affected children by behaviour id.
    pub affected: Cached<AffectedLoader>,
    /// Current plan members by plan id.
    pub members: Cached<MembersLoader>,
    /// Assessments by id.
    pub assessment: Cached<AssessmentLoader>,
    /// Assessments by child id.
    pub assessments: Cached<AssessmentsLoader>,
    /// Assessment contributions by assessment id.
    pub contributions: Cached<ContributionsLoader>,
    /// Assessment needs by assessment id.
    pub needs: Cached<NeedsLoader>,
    /// The needs an action addresses, by action id.
    pub needs_of_action: Cached<NeedsOfActionLoader>,
    /// Earlier versions of corrected records, by record id.
    pub history: Cached<super::amendment::HistoryLoader>,
    /// Legal holds by child id.
    pub legal_holds: Cached<super::legal_hold::LegalHoldsLoader>,
    /// Retention facts by child id.
    pub retention: Cached<super::legal_hold::RetentionLoader>,
    actions_of_need: OnceLock<Cached<ActionsOfNeedLoader>>,
    plans: OnceLock<Cached<PlansLoader>>,
    visible_children: OnceLock<Cached<VisibleChildrenLoader>>,
    db: DatabaseConnection,
}

impl Loaders {
    /// Fresh loaders for one request.
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            agencies: cached(AgencyLoader(db.clone())),
            involvements: cached(InvolvementsLoader(db.clone())),
            behaviours: cached(BehavioursLoader(db.clone())),
            chronology: cached(ChronologyLoader(db.clone())),
            deadlines: cached(super::deadline::DeadlinesLoader(db.clone())),
            actions: cached(ActionsLoader(db.clone())),
            consultations: cached(ConsultationsLoader(db.clone())),
            affected: cached(AffectedLoader(db.clone())),
            members: cached(MembersLoader(db.clone())),
            assessment: cached(AssessmentLoader(db.clone())),
            assessments: cached(AssessmentsLoader(db.clone())),
            contributions: cached(ContributionsLoader(db.clone())),
            needs: cached(NeedsLoader(db.clone())),
            needs_of_action: cached(NeedsOfActionLoader(db.clone())),
            history: cached(super::amendment::HistoryLoader(db.clone())),
            legal_holds: cached(super::legal_hold::LegalHoldsLoader(db.clone())),
            retention: cached(super::legal_hold::RetentionLoader(db.clone())),
            actions_of_need: OnceLock::new(),
            plans: OnceLock::new(),
            visible_children: OnceLock::new(),
            db: db.clone(),
        }
    }

    /// The plans loader of this request's caller. It is made for the first caller that
    /// asks; any other actor is refused, so a plan list can never be served from
    /// another caller's scope.
    pub fn plans(&self, actor: &Actor) -> ApiResult<&Cached<PlansLoader>> {
        let loader = self.plans.get_or_init(|| {
            cached(PlansLoader {
                db: self.db.clone(),
                actor: actor.clone(),
            })
        });
        if loader.loader().actor != *actor {
            return Err(ApiError::Internal(
                "a request's loaders were asked for by another caller".into(),
            ));
        }
        Ok(loader)
    }

    /// The actions-of-a-need loader of this request's caller, made for the first caller
    /// that asks; any other actor is refused.
    pub fn actions_of_need(&self, actor: &Actor) -> ApiResult<&Cached<ActionsOfNeedLoader>> {
        let loader = self.actions_of_need.get_or_init(|| {
            cached(ActionsOfNeedLoader {
                db: self.db.clone(),
                actor: actor.clone(),
            })
        });
        if loader.loader().actor != *actor {
            return Err(ApiError::Internal(
                "a request's loaders were asked for by another caller".into(),
            ));
        }
        Ok(loader)
    }

    /// The visible-children loader of this request's caller, made for the first caller
    /// that asks; any other caller (or clock) is refused.
    pub fn visible_children(&self, caller: &Caller) -> ApiResult<&Cached<VisibleChildrenLoader>> {
        let loader = self.visible_children.get_or_init(|| {
            cached(VisibleChildrenLoader {
                db: self.db.clone(),
                actor: caller.actor.clone(),
                clock: caller.clock(),
            })
        });
        let made_for = loader.loader();
        if made_for.actor != caller.actor || !made_for.clock.is(&caller.clock()) {
            return Err(ApiError::Internal(
                "a request's loaders were asked for by another caller".into(),
            ));
        }
        Ok(loader)
    }

    /// Forgets everything read so far (after a write, and before each event a
    /// subscription delivers).
    pub fn clear(&self) {
        self.agencies.clear::<Uuid>();
        self.deadlines.clear::<Uuid>();
        self.involvements.clear::<Uuid>();
        self.behaviours.clear::<Uuid>();
        self.chronology.clear::<Uuid>();
        self.actions.clear::<Uuid>();
        self.consultations.clear::<Uuid>();
        self.affected.clear::<Uuid>();
        self.members.clear::<Uuid>();
        self.assessment.clear::<Uuid>();
        self.assessments.clear::<Uuid>();
        self.contributions.clear::<Uuid>();
        self.needs.clear::<Uuid>();
        self.needs_of_action.clear::<Uuid>();
        self.history.clear::<Uuid>();
        self.legal_holds.clear::<Uuid>();
        self.retention.clear::<Uuid>();
        if let Some(actions) = self.actions_of_need.get() {
            actions.clear::<Uuid>();
        }
        if let Some(plans) = self.plans.get() {
            plans.clear::<Uuid>();
        }
        if let Some(children) = self.visible_children.get() {
            children.clear::<Uuid>();
        }
    }
}

/// Maps a loader error to a GraphQL error with its code.
pub fn loader_error(error: Arc<ApiError>) -> async_graphql::Error {
    use async_graphql::ErrorExtensions as _;
    error.extend()
}
