//! Behaviours (DESIGN §4.1, §4.2): recording with classification, history and escalation.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{
    AgencyIds, ContactType, Continuum, Indicator, Indicators, InvolvementRole, Sensitivity,
    Setting, TrafficLight,
};
use entity::{affected_children, agencies, behaviours, children};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::audit::{self, Subject};
use super::children::{NewInvolvement, facts, find_visible, insert_involvement, involvements_of};
use super::classification::{escalates, needs_rationale, suggested_traffic_light};
use super::outbox::{self, Event, EventKind};
use super::{Caller, DomainConfig, new_id, optional_text, required_text, tx};
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

/// The history alert of DESIGN §4.2: what came before, across agencies.
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
    let today = caller.now.date_naive();
    if input.occurred_on > today {
        return Err(ApiError::validation(
            "occurredOn",
            "must not be in the future",
        ));
    }
    if input.disclosed_at > caller.now + chrono::Duration::minutes(5) {
        return Err(ApiError::validation(
            "disclosedAt",
            "must not be in the future",
        ));
    }
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
        if let Some(id) = affected.child_id
            && children::Entity::find_by_id(id).one(db).await?.is_none()
        {
            return Err(ApiError::validation(
                "affectedChildren.childId",
                "no such child",
            ));
        }
    }
    Ok((description, rationale))
}

/// Fails with `VALIDATION_FAILED` on `field` unless every id is an agency.
pub async fn ensure_agencies_exist(
    db: &DatabaseConnection,
    ids: &[Uuid],
    field: &str,
) -> ApiResult<()> {
    let unique: BTreeSet<Uuid> = ids.iter().copied().collect();
    if unique.is_empty() {
        return Ok(());
    }
    let found = agencies::Entity::find()
        .filter(agencies::Column::Id.is_in(unique.iter().copied()))
        .count(db)
        .await?;
    if found as usize != unique.len() {
        return Err(ApiError::validation(
            field,
            "names an agency that does not exist",
        ));
    }
    Ok(())
}

/// `recordBehaviour`: records, classifies, alerts on history and escalates.
#[tracing::instrument(skip_all, fields(child_id = %input.child_id))]
pub async fn record(
    db: &DatabaseConnection,
    caller: &Caller,
    config: &DomainConfig,
    input: NewBehaviour,
) -> ApiResult<Recorded> {
    let subject = Subject {
        action: "RECORD_BEHAVIOUR",
        entity_type: "Behaviour",
        entity_id: None,
        child_id: Some(input.child_id),
    };
    let child = match find_visible(db, caller, input.child_id).await {
        Ok(child) => child,
        Err(error) => {
            audit::denial(db, caller, subject, "child not visible").await?;
            return Err(error);
        }
    };
    let team = involvements_of(db, child.id).await?;
    if let Err(error) =
        policy::ensure_can_work_case(&caller.actor, &facts(db, child.id, &team).await?)
    {
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
    let (description, rationale) = validate(db, caller, &input).await?;
    let suggested = suggested_traffic_light(&input.indicators, input.continuum);
    let designated = config.designated_agencies(db).await?;

    let txn = tx::begin(db).await?;
    // Two agencies recording at once must not both miss the other's behaviour.
    tx::lock_key(&txn, &format!("behaviours:{}", child.id)).await?;
    let prior = behaviours::Entity::find()
        .filter(behaviours::Column::ChildId.eq(child.id))
        .all(&*txn)
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
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
    };
    let behaviour = behaviours::Entity::insert(behaviour)
        .exec_with_returning(&*txn)
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
            created_at: Set(caller.now),
            updated_at: Set(caller.now),
        })
        .exec(&*txn)
        .await?;
    }
    audit::mutation(
        &*txn,
        caller,
        Subject {
            entity_id: Some(behaviour.id),
            ..subject
        },
    )
    .await?;
    if escalated {
        escalate(&*txn, caller, &child, &team, &designated, &behaviour).await?;
    }
    txn.commit().await?;
    Ok(Recorded {
        behaviour,
        suggested,
        escalated,
        history,
    })
}

/// DESIGN §4.1: the designated social care and police agencies join the case team and
/// are told; the strategy discussion deadline runs from the behaviour's disclosure.
async fn escalate<C: ConnectionTrait>(
    txn: &C,
    caller: &Caller,
    child: &children::Model,
    team: &[entity::involvements::Model],
    designated: &[Uuid],
    behaviour: &behaviours::Model,
) -> ApiResult<()> {
    for agency in designated {
        let on_team = team
            .iter()
            .any(|inv| inv.ended_on.is_none() && inv.agency_id == *agency);
        if !on_team {
            let involvement = NewInvolvement {
                agency_id: *agency,
                role: InvolvementRole::Partner,
                lead_practitioner: None,
                reason: Some("designated agency told of an escalated behaviour".into()),
            };
            let saved = insert_involvement(txn, caller, child.id, involvement).await?;
            let subject = Subject {
                action: "ADD_INVOLVEMENT",
                entity_type: "Involvement",
                entity_id: Some(saved.id),
                child_id: Some(child.id),
            };
            audit::mutation(txn, caller, subject).await?;
        }
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
    outbox::record(txn, caller, event).await?;
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

/// A behaviour for `node(id:)`: `None` unless its child is readable (the read is audited).
pub async fn read_node(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<behaviours::Model>> {
    let Some(behaviour) = behaviours::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(super::children::read_node(db, caller, behaviour.child_id)
        .await?
        .map(|_| behaviour))
}

/// Whether the caller reads this behaviour's content (DESIGN §5.3).
pub fn content_readable(
    caller: &Caller,
    behaviour: &behaviours::Model,
    lead_agency: Option<Uuid>,
) -> bool {
    policy::can_read_content(
        &caller.actor,
        behaviour.sensitivity,
        behaviour.agency_id,
        &behaviour.shared_with.0,
        lead_agency,
    )
}
