//! Reads the relations a query selected under one or more children, one statement per
//! level, before their resolvers run.
//!
//! The loaders already batch what is asked in the same instant, but resolving a long list
//! yields to the executor every few dozen items, and a batch that fires in between is
//! followed by another: the number of statements would then depend on timing and on the
//! page size. A list resolver therefore asks the loaders for the whole page at once,
//! level by level, for the fields the query selected ([`Lookahead`]); the resolvers below
//! then find everything in the request's cache. Nothing here decides access: the loaders
//! are the same ones the resolvers use, with the same scope, and only children already
//! found visible are passed in.
//!
//! The relations of a level that do not depend on each other are read at once, and with
//! the first level the agencies of the children's case teams (ended involvements too),
//! when the query names any agency: the rows almost always name one of those, so the
//! agencies are seldom one more round trip after the rows; any other agency a row names
//! is read once the rows are in. These reads take none of the request's database slots
//! (`Caller::db_slot`, which bound the resolvers that read once per item of a list):
//! their number is fixed by the schema, not by the data, at most seven at once beside the
//! read's audit row. Holding slots for them was measured: with four slots the child
//! view's five reads and its audit row went in two waves, and most of what reading them
//! together gains was lost (`BENCHMARKS.md`).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Lookahead};
use uuid::Uuid;

use super::caller;
use super::loaders::{Cached, Loaders, chunked, loader_error};
use crate::domain;
use crate::error::{ApiError, IntoGql};

/// Reads `keys` into `loader`'s cache at once and returns what `read` takes from the rows
/// (the ids of the next level, the agencies they name). The prefetch knows every key of a
/// level, so it does not wait for the loader's batching delay (1 ms, which tokio's timer
/// rounds up to its next tick): on the caseload's five levels, one after another, that
/// wait was most of what it took beyond its statements. The rows go into the cache as
/// they are, not copied: the resolvers take their copies from there.
async fn load_now<T, R>(
    loader: &Cached<T>,
    keys: impl IntoIterator<Item = Uuid>,
    read: impl FnOnce(&HashMap<Uuid, T::Value>) -> R,
) -> async_graphql::Result<R>
where
    T: Loader<Uuid, Error = Arc<ApiError>>,
{
    let keys: Vec<Uuid> = keys
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if keys.is_empty() {
        return Ok(read(&HashMap::new()));
    }
    let found = loader.loader().load(&keys).await.map_err(loader_error)?;
    let out = read(&found);
    loader.feed_many(found).await;
    Ok(out)
}

/// A selection that may be reached along several paths: a node of a connection is
/// selected under `nodes` and under `edges { node }`, and a query may use both.
struct Selection<'a>(Vec<Lookahead<'a>>);

impl<'a> Selection<'a> {
    /// The selection of a plain field.
    fn of(lookahead: &Lookahead<'a>) -> Self {
        Self(
            lookahead
                .selection_fields()
                .into_iter()
                .map(Lookahead::from)
                .collect(),
        )
    }

    /// The field `name` under any of the paths.
    fn field(&self, name: &str) -> Self {
        Self(self.0.iter().map(|l| l.field(name)).collect())
    }

    /// The nodes of the connection field `name`, however the query reaches them.
    fn nodes_of(&self, name: &str) -> Self {
        let list = self.field(name);
        let mut paths = list.field("nodes").0;
        paths.extend(list.field("edges").field("node").0);
        Self(paths)
    }

    /// Whether any path selects it.
    fn exists(&self) -> bool {
        self.0.iter().any(Lookahead::exists)
    }
}

/// Prefetches what `node` (the selection of a `Child`) asks of `kids`, children just
/// found visible to the caller.
pub async fn children(
    ctx: &Context<'_>,
    node: &Lookahead<'_>,
    kids: &[entity::children::Model],
) -> async_graphql::Result<()> {
    if kids.is_empty() {
        return Ok(());
    }
    let loaders = ctx.data::<Loaders>()?;
    // They were just read through the same visibility condition at the same clock, so
    // a row's `child` field (a behaviour's, an entry's) needs no statement of its own.
    loaders
        .visible_children(caller(ctx)?)
        .gql()?
        .feed_many(kids.iter().map(|kid| (kid.id, kid.clone())))
        .await;
    let ids: Vec<Uuid> = kids.iter().map(|kid| kid.id).collect();
    let ids = ids.as_slice();
    let node = Selection::of(node);
    let selected = |name: &str| node.field(name).exists();
    let keys = || ids.iter().copied();
    // The relations of a child do not depend on each other: read them together, and
    // with them the agencies of the case teams, which are most of the agencies the rows
    // name.
    let (read, team, behaviours, chronology, plans, deadlines) = futures_util::try_join!(
        async {
            if !names_agencies(&node) {
                return Ok(BTreeSet::new());
            }
            let db = &loaders.agencies.loader().0;
            let found = chunked(ids, |chunk| async move {
                domain::agencies::of_case_teams(db, &chunk).await
            })
            .await
            .map_err(loader_error)?;
            let read = found.iter().map(|agency| agency.id).collect();
            let found = found.into_iter().map(|agency| (agency.id, agency));
            loaders.agencies.feed_many(found).await;
            Ok(read)
        },
        async {
            // The case team also gives the lead agency that masks behaviours and chronology.
            let wanted = ["involvements", "leadAgency", "behaviours", "chronology"];
            if !wanted.into_iter().any(selected) {
                return Ok(Vec::new());
            }
            let members = node.field("involvements").field("agency").exists();
            let leads = selected("leadAgency");
            load_now(&loaders.involvements, keys(), |teams| {
                let mut agencies = Vec::new();
                if members {
                    agencies.extend(teams.values().flatten().map(|inv| inv.agency_id));
                }
                if leads {
                    agencies.extend(
                        teams
                            .values()
                            .filter_map(|team| crate::policy::lead_agency(team)),
                    );
                }
                agencies
            })
            .await
        },
        async {
            if !selected("behaviours") {
                return Ok(Vec::new());
            }
            let agencies = node
                .nodes_of("behaviours")
                .field("recordingAgency")
                .exists();
            load_now(&loaders.behaviours, keys(), |found| {
                agencies_if(agencies, found, |b| b.agency_id)
            })
            .await
        },
        async {
            if !selected("chronology") {
                return Ok(Vec::new());
            }
            let agencies = node
                .nodes_of("chronology")
                .field("recordingAgency")
                .exists();
            load_now(&loaders.chronology, keys(), |entries| {
                agencies_if(agencies, entries, |e| e.agency_id)
            })
            .await
        },
        async {
            if !selected("jointPlans") {
                return Ok(Vec::new());
            }
            let plans = node.nodes_of("jointPlans");
            plans_of(ctx, loaders, &plans, ids).await
        },
        async {
            if !selected("deadlines") {
                return Ok(Vec::new());
            }
            let agencies = node.field("deadlines").field("responsibleAgency").exists();
            load_now(&loaders.deadlines, keys(), |found| {
                if agencies {
                    let named = found.values().flatten();
                    named
                        .filter_map(|d| d.deadline.responsible_agency)
                        .collect()
                } else {
                    Vec::new()
                }
            })
            .await
        },
    )?;
    let agencies: BTreeSet<Uuid> = [team, behaviours, chronology, plans, deadlines]
        .into_iter()
        .flatten()
        .filter(|agency| !read.contains(agency))
        .collect();
    if !agencies.is_empty() {
        load_now(&loaders.agencies, agencies, |_| ()).await?;
    }
    Ok(())
}

/// Whether the query names an agency anywhere under the child.
fn names_agencies(node: &Selection<'_>) -> bool {
    let plans = node.nodes_of("jointPlans");
    let actions = plans.field("actions");
    [
        node.field("involvements").field("agency"),
        node.field("leadAgency"),
        node.nodes_of("behaviours").field("recordingAgency"),
        node.nodes_of("chronology").field("recordingAgency"),
        node.field("deadlines").field("responsibleAgency"),
        plans.field("leadAgency"),
        plans.field("members").field("agency"),
        actions.field("assignedAgency"),
        actions.field("consultations").field("agency"),
    ]
    .iter()
    .any(Selection::exists)
}

/// The visible plans of the children, then their actions and the actions' consultations;
/// returns the agencies they name that the query selected.
async fn plans_of(
    ctx: &Context<'_>,
    loaders: &Loaders,
    plans: &Selection<'_>,
    ids: &[Uuid],
) -> async_graphql::Result<Vec<Uuid>> {
    let leads = plans.field("leadAgency").exists();
    let (plan_ids, mut agencies) = load_now(
        loaders.plans(&caller(ctx)?.actor).gql()?,
        ids.iter().copied(),
        |found| {
            let ids: Vec<Uuid> = found.values().flatten().map(|p| p.id).collect();
            (ids, agencies_if(leads, found, |p| p.lead_agency_id))
        },
    )
    .await?;
    if plan_ids.is_empty() {
        return Ok(agencies);
    }
    // The members and the actions of the plans do not depend on each other.
    let (members, actions) = (plans.field("members"), plans.field("actions"));
    let (members, actions) = futures_util::try_join!(
        members_of(loaders, &members, &plan_ids),
        actions_of(loaders, &actions, plan_ids.iter().copied()),
    )?;
    agencies.extend(members);
    agencies.extend(actions);
    Ok(agencies)
}

/// The current members of the plans, when selected; returns the agencies selected.
async fn members_of(
    loaders: &Loaders,
    members: &Selection<'_>,
    plan_ids: &[Uuid],
) -> async_graphql::Result<Vec<Uuid>> {
    if !members.exists() {
        return Ok(Vec::new());
    }
    let named = members.field("agency").exists();
    load_now(&loaders.members, plan_ids.iter().copied(), |found| {
        agencies_if(named, found, |m| m.agency_id)
    })
    .await
}

/// The actions of the plans and their consultations, when selected; returns the
/// agencies selected.
async fn actions_of(
    loaders: &Loaders,
    actions: &Selection<'_>,
    plan_ids: impl IntoIterator<Item = Uuid>,
) -> async_graphql::Result<Vec<Uuid>> {
    if !actions.exists() {
        return Ok(Vec::new());
    }
    let named = actions.field("assignedAgency").exists();
    let (action_ids, mut agencies) = load_now(&loaders.actions, plan_ids, |found| {
        let ids: Vec<Uuid> = found.values().flatten().map(|a| a.id).collect();
        (ids, agencies_if(named, found, |a| a.assigned_agency_id))
    })
    .await?;
    let consultations = actions.field("consultations");
    if !consultations.exists() || action_ids.is_empty() {
        return Ok(agencies);
    }
    let named = consultations.field("agency").exists();
    let found = load_now(&loaders.consultations, action_ids, |found| {
        agencies_if(named, found, |c| c.agency_id)
    })
    .await?;
    agencies.extend(found);
    Ok(agencies)
}

/// The agencies `rows` name (through `agency_of`), when the query selected them.
fn agencies_if<T>(
    wanted: bool,
    rows: &HashMap<Uuid, Vec<T>>,
    agency_of: impl Fn(&T) -> Uuid,
) -> Vec<Uuid> {
    if wanted {
        rows.values().flatten().map(agency_of).collect()
    } else {
        Vec::new()
    }
}
