//! Behaviours (`docs/product.md`): recording with classification, history and escalation.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{
    AgencyIds, ContactType, Continuum, Indicator, Indicators, Sensitivity, Setting, TrafficLight,
};
use entity::{affected_children, behaviours, children};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::agencies::ensure_agencies_exist;
use super::audit::{AuditAction, EntityType, Target};
use super::classification::{escalates, needs_rationale, suggested_traffic_light};
use super::involvements::join_as_partner;
use super::masked::Masked;
use super::op::{Operation, Write};
use super::outbox::{Event, EventKind};
use super::{Caller, DomainConfig, new_id, optional_text, required_text, visible};
use super::{bounds, case};
use crate::error::{ApiError, ApiResult};
use crate::policy;

/// One affected child as recorded.
#[derive(Clone, Debug, Default)]
pub struct NewAffectedChild {
    /// Link to their own record, if they have one.
    pub child_id: Option<Uuid>,
    /// Given name, if known.
    pub given_name: Option<String>,
    /// Family name, if known.
    pub family_name: Option<String>,
    /// Age at the time.
    pub age_at_time: Option<i32>,
    /// Relationship to the child (sibling, classmate, …).
    pub relationship: String,
}

/// What `recordBehaviour` takes.
#[derive(Clone, Debug)]
pub struct NewBehaviour {
    /// The child.
    pub child_id: Uuid,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// When it was disclosed.
    pub disclosed_at: DateTime<Utc>,
    /// Where.
    pub setting: Setting,
    /// Contact or not.
    pub contact_type: ContactType,
    /// What happened.
    pub description: String,
    /// Hackett continuum.
    pub continuum: Continuum,
    /// Observed indicators.
    pub indicators: Vec<Indicator>,
    /// The practitioner's classification.
    pub traffic_light: TrafficLight,
    /// Why it is lower than the suggestion, when it is.
    pub classification_rationale: Option<String>,
    /// Who may read the content.
    pub sensitivity: Sensitivity,
    /// Agencies a restricted entry is shared with.
    pub shared_with: Vec<Uuid>,
    /// The other children involved.
    pub affected_children: Vec<NewAffectedChild>,
}

/// The history alert of `docs/product.md`: what came before, across agencies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// How many earlier behaviours the child has, by any agency.
    pub prior_behaviours: u64,
    /// The worst traffic light among them.
    pub worst_traffic_light: Option<TrafficLight>,
    /// When the first was recorded.
    pub first_recorded_on: Option<NaiveDate>,
    /// The agencies that hold them.
    pub agencies: Vec<Uuid>,
}

/// What `recordBehaviour` returns.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The saved behaviour.
    pub behaviour: behaviours::Model,
    /// The service's suggestion.
    pub suggested: TrafficLight,
    /// Whether it escalated the case.
    pub escalated: bool,
    /// The history before it.
    pub history: History,
}

fn history_of(prior: &[behaviours::Model]) -> History {
    let agencies: BTreeSet<Uuid> = prior.iter().map(|b| b.agency_id).collect();
    History {
        prior_behaviours: prior.len() as u64,
        worst_traffic_light: prior.iter().map(|b| b.traffic_light).max(),
        first_recorded_on: prior.iter().map(|b| b.created_at.date_naive()).min(),
        agencies: agencies.into_iter().collect(),
    }
}

async fn validate(
    db: &DatabaseConnection,
    caller: &Caller,
    input: &NewBehaviour,
) -> ApiResult<(String, Option<String>)> {
    let description = required_text("description", &input.description, 10_000)?;
    bounds::ensure_past_day("occurredOn", input.occurred_on, caller.now().date_naive())?;
    bounds::ensure_past_event("disclosedAt", input.disclosed_at, caller.now())?;
    if input.disclosed_at.date_naive() < input.occurred_on {
        return Err(ApiError::validation(
            "disclosedAt",
            "must not be before the behaviour occurred",
        ));
    }
    let suggested = suggested_traffic_light(&input.indicators, input.continuum);
    let rationale = optional_text(input.classification_rationale.clone());
    if needs_rationale(input.traffic_light, suggested) && rationale.is_none() {
        return Err(ApiError::validation(
            "classificationRationale",
            format!("a classification lower than the suggested {suggested:?} needs a rationale"),
        ));
    }
    ensure_agencies_exist(db, &input.shared_with, "sharedWith").await?;
    for affected in &input.affected_children {
        required_text("affectedChildren.relationship", &affected.relationship, 200)?;
        if affected
            .age_at_time
            .is_some_and(|age| !(0..=25).contains(&age))
        {
            return Err(ApiError::validation(
                "affectedChildren.ageAtTime",
                "must be between 0 and 25",
            ));
        }
        // A child the caller may not read is answered exactly as one that does not
        // exist, and the lookup is audited either way: no existence oracle.
        if let Some(id) = affected.child_id
            && visible::child(db, caller, id).await?.is_none()
        {
            visible::record_miss(db, caller, EntityType::Child, id).await?;
            return Err(ApiError::validation(
                "affectedChildren.childId",
                "no such child",
            ));
        }
    }
    Ok((description, rationale))
}

/// `recordBehaviour`: records, classifies, alerts on history and escalates. Everything
/// the decision reads (earlier behaviours, the case team) is read inside the write
/// transaction, under a lock on the child's behaviours.
#[tracing::instrument(skip_all, fields(child_id = %input.child_id))]
pub async fn record(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    input: NewBehaviour,
) -> ApiResult<Recorded> {
    let op = Operation::new(
        db,
        caller,
        AuditAction::RecordBehaviour,
        Target::for_child(EntityType::Behaviour, input.child_id),
    );
    let case = case::visible(&op, input.child_id).await?;
    op.authorize(policy::ensure_can_work_case(&caller.actor, &case.facts))
        .await?;
    let child = case.child;
    let (description, rationale) = validate(db, caller, &input).await?;
    let suggested = suggested_traffic_light(&input.indicators, input.continuum);
    let designated = config.designated_agencies(db).await?;

    let mut write = op.begin().await?;
    // Two agencies recording at once must not both miss the other's behaviour.
    write.lock(&format!("behaviours:{}", child.id)).await?;
    // A new behaviour of a child whose case closed reopens it.
    super::closure::reopen_if_closed(&write, child.id, super::closure::Reopening::Behaviour)
        .await?;
    // A behaviour entered in error counts neither for escalation nor in the history alert.
    let prior = behaviours::Entity::find()
        .filter(behaviours::Column::ChildId.eq(child.id))
        .filter(behaviours::Column::EnteredInErrorAt.is_null())
        .all(write.txn())
        .await?;
    let history = history_of(&prior);
    let others: Vec<_> = prior
        .iter()
        .map(|b| (b.occurred_on, b.traffic_light))
        .collect();
    let escalated = escalates(input.traffic_light, input.occurred_on, &others);
    let mut indicators = input.indicators.clone();
    indicators.sort();
    indicators.dedup();
    let behaviour = behaviours::ActiveModel {
        id: Set(new_id()),
        child_id: Set(child.id),
        agency_id: Set(caller.actor.agency_id),
        recorded_by: Set(caller.actor.subject.clone()),
        occurred_on: Set(input.occurred_on),
        disclosed_at: Set(input.disclosed_at),
        setting: Set(input.setting),
        contact_type: Set(input.contact_type),
        description: Set(description),
        continuum: Set(input.continuum),
        traffic_light: Set(input.traffic_light),
        suggested_traffic_light: Set(suggested),
        indicators: Set(Indicators(indicators)),
        classification_rationale: Set(rationale),
        escalated: Set(escalated),
        sensitivity: Set(input.sensitivity),
        shared_with: Set(AgencyIds(input.shared_with.clone())),
        version: Set(1),
        created_at: Set(caller.now()),
        updated_at: Set(caller.now()),
        entered_in_error_at: Set(None),
        entered_in_error_by: Set(None),
        entered_in_error_reason: Set(None),
    };
    let behaviour = behaviours::Entity::insert(behaviour)
        .exec_with_returning(write.txn())
        .await?;
    for affected in input.affected_children {
        affected_children::Entity::insert(affected_children::ActiveModel {
            id: Set(new_id()),
            behaviour_id: Set(behaviour.id),
            child_id: Set(affected.child_id),
            given_name: Set(optional_text(affected.given_name)),
            family_name: Set(optional_text(affected.family_name)),
            age_at_time: Set(affected.age_at_time),
            relationship: Set(affected.relationship.trim().to_owned()),
            version: Set(1),
            created_at: Set(caller.now()),
            updated_at: Set(caller.now()),
        })
        .exec(write.txn())
        .await?;
    }
    write.audit_row(behaviour.id);
    write.audit_created::<behaviours::Entity>(&behaviour);
    if escalated {
        escalate(&write, &child, &designated, &behaviour).await?;
    }
    write.commit().await?;
    Ok(Recorded {
        behaviour,
        suggested,
        escalated,
        history,
    })
}

/// `docs/product.md`: the designated social care and police agencies join the case team and
/// are told; the strategy discussion deadline runs from the behaviour's disclosure.
pub(super) async fn escalate(
    write: &Write<'_>,
    child: &children::Model,
    designated: &[Uuid],
    behaviour: &behaviours::Model,
) -> ApiResult<()> {
    write.deadlines_changed(child.id);
    for agency in designated {
        join_as_partner(
            write,
            child.id,
            *agency,
            "designated agency told of an escalated behaviour",
        )
        .await?;
    }
    let event = Event {
        kind: EventKind::Escalation,
        plan_id: None,
        child_id: Some(child.id),
        audience: designated.to_vec(),
        summary: format!(
            "A {:?} behaviour escalated the case; a strategy discussion is due",
            behaviour.traffic_light
        ),
        payload: json!({ "childId": child.id, "behaviourId": behaviour.id, "disclosedAt": behaviour.disclosed_at }),
    };
    write.emit(event).await?;
    Ok(())
}

/// A child's behaviours, oldest first, for a caller who may read the child.
pub async fn of_child(
    db: &DatabaseConnection,
    child_id: Uuid,
) -> ApiResult<Vec<behaviours::Model>> {
    Ok(behaviours::Entity::find()
        .filter(behaviours::Column::ChildId.eq(child_id))
        .order_by_asc(behaviours::Column::OccurredOn)
        .order_by_asc(behaviours::Column::Id)
        .all(db)
        .await?)
}

/// The behaviours of several children already found visible, oldest first, for the
/// request's loader (one statement for a page of children).
pub async fn of_children(
    db: &DatabaseConnection,
    child_ids: &[Uuid],
) -> ApiResult<Vec<behaviours::Model>> {
    Ok(entity::by_index::all(
        behaviours::Entity::find()
            .filter(behaviours::Column::ChildId.is_in(child_ids.iter().copied()))
            .order_by_asc(behaviours::Column::OccurredOn)
            .order_by_asc(behaviours::Column::Id),
        db,
    )
    .await?)
}

/// The affected children of a behaviour.
pub async fn affected_of(
    db: &DatabaseConnection,
    behaviour_id: Uuid,
) -> ApiResult<Vec<affected_children::Model>> {
    Ok(affected_children::Entity::find()
        .filter(affected_children::Column::BehaviourId.eq(behaviour_id))
        .order_by_asc(affected_children::Column::Id)
        .all(db)
        .await?)
}

/// The affected children of several behaviours already found visible, for the request's
/// loader.
pub async fn affected_of_many(
    db: &DatabaseConnection,
    behaviour_ids: &[Uuid],
) -> ApiResult<Vec<affected_children::Model>> {
    Ok(affected_children::Entity::find()
        .filter(affected_children::Column::BehaviourId.is_in(behaviour_ids.iter().copied()))
        .order_by_asc(affected_children::Column::Id)
        .all(db)
        .await?)
}

/// A behaviour for `node(id:)`: `None` unless its child is readable (audited either way).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<behaviours::Model>> {
    visible::read_through_child_audited::<behaviours::Entity>(
        db,
        caller,
        EntityType::Behaviour,
        id,
        |behaviour| behaviour.child_id,
    )
    .await
}

/// The behaviour as the caller may see it (`docs/access.md`).
pub fn masked(
    caller: &Caller,
    behaviour: behaviours::Model,
    lead_agency: Option<Uuid>,
) -> Masked<behaviours::Model> {
    Masked::for_caller(caller, behaviour, lead_agency)
}
