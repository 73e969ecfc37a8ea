//! Children and their case teams: registration, involvements, scoped reads.

use chrono::{Datelike, NaiveDate};
use entity::enums::{ChildStatus, InvolvementRole};
use entity::{access_grants, children, involvements};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::audit::{self, Subject};
use super::{Caller, identifiers, new_id, optional_text, required_text};
use crate::error::{ApiError, ApiResult};
use crate::policy::{self, ChildFacts};

/// What `registerChild` takes.
#[derive(Clone, Debug, Default)]
pub struct NewChild {
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Gender as recorded.
    pub gender: String,
    /// NHS number, checked.
    pub nhs_number: Option<String>,
    /// Unique pupil number, checked.
    pub unique_pupil_number: Option<String>,
    /// Local authority reference.
    pub local_authority_ref: Option<String>,
    /// Police reference.
    pub police_ref: Option<String>,
    /// Special educational needs.
    pub send: bool,
    /// In the care of the local authority.
    pub looked_after: bool,
}

/// Folds a name for matching: trimmed, single-spaced, lower case, accents removed.
pub fn fold_name(name: &str) -> String {
    deunicode::deunicode(name)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key a known child is matched on: family name, given name and date of birth.
pub fn match_key(family_name: &str, given_name: &str, date_of_birth: NaiveDate) -> String {
    format!(
        "{}|{}|{}",
        fold_name(family_name),
        fold_name(given_name),
        date_of_birth
    )
}

/// Checks registration input and builds the row.
pub fn validate(input: NewChild, today: NaiveDate) -> ApiResult<children::Model> {
    let given_name = required_text("givenName", &input.given_name, 100)?;
    let family_name = required_text("familyName", &input.family_name, 100)?;
    let gender = required_text("gender", &input.gender, 50)?;
    let date_of_birth = input
        .date_of_birth
        .ok_or_else(|| ApiError::validation("dateOfBirth", "is required"))?;
    if date_of_birth > today {
        return Err(ApiError::validation(
            "dateOfBirth",
            "must not be in the future",
        ));
    }
    let eighteenth = date_of_birth
        .with_year(date_of_birth.year() + 18)
        .unwrap_or(date_of_birth);
    if today >= eighteenth {
        return Err(ApiError::validation(
            "dateOfBirth",
            "the child must be under 18",
        ));
    }
    let nhs_number = match optional_text(input.nhs_number) {
        Some(value) => Some(identifiers::nhs_number(&value).ok_or_else(|| {
            ApiError::validation("nhsNumber", "is not a valid NHS number (check digit)")
        })?),
        None => None,
    };
    let unique_pupil_number = match optional_text(input.unique_pupil_number) {
        Some(value) => Some(identifiers::unique_pupil_number(&value).ok_or_else(|| {
            ApiError::validation(
                "uniquePupilNumber",
                "is not a valid unique pupil number (check letter)",
            )
        })?),
        None => None,
    };
    let now = chrono::Utc::now();
    Ok(children::Model {
        id: new_id(),
        match_key: match_key(&family_name, &given_name, date_of_birth),
        given_name,
        family_name,
        date_of_birth,
        gender,
        nhs_number,
        unique_pupil_number,
        local_authority_ref: optional_text(input.local_authority_ref),
        police_ref: optional_text(input.police_ref),
        send: input.send,
        looked_after: input.looked_after,
        status: ChildStatus::Open,
        version: 1,
        created_at: now,
        updated_at: now,
    })
}

/// `registerChild`: a coordinator registers a child; their agency becomes the lead.
#[tracing::instrument(skip_all)]
pub async fn register(
    db: &DatabaseConnection,
    caller: &Caller,
    input: NewChild,
) -> ApiResult<children::Model> {
    let subject = Subject {
        action: "REGISTER_CHILD",
        entity_type: "Child",
        entity_id: None,
        child_id: None,
    };
    if let Err(error) = policy::ensure_can_register_child(&caller.actor) {
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
    let child = validate(input, caller.now.date_naive())?;
    let txn = super::tx::begin(db).await?;
    let saved = insert_child(&*txn, child).await?;
    let lead = NewInvolvement {
        agency_id: caller.actor.agency_id,
        role: InvolvementRole::Lead,
        lead_practitioner: Some(caller.actor.name.clone()),
        reason: Some("registered the child".into()),
    };
    insert_involvement(&*txn, caller, saved.id, lead).await?;
    audit::mutation(
        &*txn,
        caller,
        Subject {
            entity_id: Some(saved.id),
            child_id: Some(saved.id),
            ..subject
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Inserts a child row; an identifier already registered is a validation error.
pub async fn insert_child<C: ConnectionTrait>(
    db: &C,
    child: children::Model,
) -> ApiResult<children::Model> {
    let field = if child.nhs_number.is_some() {
        "nhsNumber"
    } else {
        "uniquePupilNumber"
    };
    children::Entity::insert(child.into_active_model().reset_all())
        .exec_with_returning(db)
        .await
        .map_err(|e| {
            ApiError::unique(
                e,
                field,
                "a child with this identifier is already registered",
            )
        })
}

/// What `addInvolvement` takes.
#[derive(Clone, Debug)]
pub struct NewInvolvement {
    /// The agency joining the case team.
    pub agency_id: Uuid,
    /// `LEAD` or `PARTNER`.
    pub role: InvolvementRole,
    /// The named practitioner, if any.
    pub lead_practitioner: Option<String>,
    /// Why the agency is involved.
    pub reason: Option<String>,
}

/// Inserts an involvement starting today (the caller audits it).
pub async fn insert_involvement<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    child_id: Uuid,
    input: NewInvolvement,
) -> ApiResult<involvements::Model> {
    let row = involvements::ActiveModel {
        id: Set(new_id()),
        child_id: Set(child_id),
        agency_id: Set(input.agency_id),
        role: Set(input.role),
        lead_practitioner: Set(optional_text(input.lead_practitioner)),
        started_on: Set(caller.now.date_naive()),
        ended_on: Set(None),
        reason: Set(optional_text(input.reason)),
        end_reason: Set(None),
        version: Set(1),
        created_at: Set(caller.now),
        updated_at: Set(caller.now),
    };
    involvements::Entity::insert(row)
        .exec_with_returning(db)
        .await
        .map_err(|e| ApiError::unique(e, "agencyId", "the agency is already on the case team"))
}

/// `addInvolvement`: puts an agency on a child's case team.
#[tracing::instrument(skip_all, fields(%child_id))]
pub async fn add_involvement(
    db: &DatabaseConnection,
    caller: &Caller,
    child_id: Uuid,
    input: NewInvolvement,
) -> ApiResult<involvements::Model> {
    let subject = Subject {
        action: "ADD_INVOLVEMENT",
        entity_type: "Involvement",
        entity_id: None,
        child_id: Some(child_id),
    };
    let child = match find_visible(db, caller, child_id).await {
        Ok(child) => child,
        Err(error) => {
            audit::denial(db, caller, subject, "child not visible").await?;
            return Err(error);
        }
    };
    let team = involvements_of(db, child.id).await?;
    let facts = facts(db, child.id, &team).await?;
    if let Err(error) = policy::ensure_can_add_involvement(&caller.actor, &facts, input.agency_id) {
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
    let agency = super::agencies::active(db, input.agency_id, "agencyId").await?;
    if team
        .iter()
        .any(|inv| inv.ended_on.is_none() && inv.agency_id == agency.id)
    {
        return Err(ApiError::validation(
            "agencyId",
            "the agency is already on the case team",
        ));
    }
    if input.role == InvolvementRole::Lead && !policy::lead_is_free(&team) {
        return Err(ApiError::validation(
            "role",
            "the child already has a lead agency",
        ));
    }
    let txn = super::tx::begin(db).await?;
    let saved = insert_involvement(&*txn, caller, child.id, input).await?;
    audit::mutation(
        &*txn,
        caller,
        Subject {
            entity_id: Some(saved.id),
            ..subject
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A child the caller may read, or `NOT_FOUND` exactly as for a child that does not exist.
pub async fn find_visible(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<children::Model> {
    children::Entity::find_by_id(id)
        .filter(policy::visible_children(&caller.actor, caller.now))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)
}

const INVOLVEMENT: super::versioned::Versioned<involvements::Entity> =
    super::versioned::Versioned {
        id: involvements::Column::Id,
        version: involvements::Column::Version,
        updated_at: involvements::Column::UpdatedAt,
        version_of: |involvement| involvement.version,
    };

/// `endInvolvement`: an agency leaves a case team. The lead cannot leave an open case.
#[tracing::instrument(skip_all, fields(%involvement_id))]
pub async fn end_involvement(
    db: &DatabaseConnection,
    caller: &Caller,
    involvement_id: Uuid,
    reason: &str,
    expected_version: i32,
) -> ApiResult<involvements::Model> {
    let involvement = read_involvement(db, caller, involvement_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let subject = Subject {
        action: "END_INVOLVEMENT",
        entity_type: "Involvement",
        entity_id: Some(involvement.id),
        child_id: Some(involvement.child_id),
    };
    let team = involvements_of(db, involvement.child_id).await?;
    let facts = facts(db, involvement.child_id, &team).await?;
    if let Err(error) =
        policy::ensure_can_end_involvement(&caller.actor, &facts, involvement.agency_id)
    {
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
    super::versioned::check(expected_version, involvement.version)?;
    let reason = required_text("reason", reason, 2000)?;
    if involvement.ended_on.is_some() {
        return Err(ApiError::validation(
            "involvementId",
            "the involvement has already ended",
        ));
    }
    if involvement.role == InvolvementRole::Lead {
        return Err(ApiError::validation(
            "involvementId",
            "the lead agency cannot leave the case team",
        ));
    }
    let txn = super::tx::begin(db).await?;
    let changes = involvements::ActiveModel {
        ended_on: Set(Some(caller.now.date_naive())),
        end_reason: Set(Some(reason)),
        ..Default::default()
    };
    let saved = INVOLVEMENT
        .save(&*txn, involvement.id, expected_version, caller.now, changes)
        .await?;
    audit::mutation(&*txn, caller, subject).await?;
    // Leaving the case team is leaving its plans too: they stop seeing them and their events.
    super::plans::leave_open_plans(&*txn, caller, involvement.child_id, involvement.agency_id)
        .await?;
    txn.commit().await?;
    Ok(saved)
}

/// `child(id)`: a visible child, audited as read; a miss is audited as a denial.
pub async fn read(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<children::Model> {
    match find_visible(db, caller, id).await {
        Ok(child) => {
            audit::child_reads(db, caller, &[child.id]).await?;
            Ok(child)
        }
        Err(ApiError::NotFound) => {
            let subject = Subject {
                action: "READ_CHILD",
                entity_type: "Child",
                entity_id: Some(id),
                child_id: Some(id),
            };
            audit::denial(db, caller, subject, "not found or not visible").await?;
            Err(ApiError::NotFound)
        }
        Err(error) => Err(error),
    }
}

/// A child by id for `node(id:)`: `None` when missing or not visible.
pub async fn read_node(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<children::Model>> {
    match read(db, caller, id).await {
        Ok(child) => Ok(Some(child)),
        Err(ApiError::NotFound) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Filters of `children(filter:)`.
#[derive(Clone, Debug, Default)]
pub struct ChildFilter {
    /// Only children with this status.
    pub status: Option<ChildStatus>,
}

/// One page of a list, in id (creation) order.
#[derive(Debug)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Whether rows follow.
    pub has_next: bool,
    /// How many rows the whole list has.
    pub total: u64,
}

/// The largest page a client may ask for.
pub const MAX_PAGE: u64 = 100;

/// `children(filter, first, after)`: the visible children, filtered in SQL, audited.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: ChildFilter,
    first: u64,
    after: Option<Uuid>,
) -> ApiResult<Page<children::Model>> {
    if let Err(error) = policy::ensure_can_list_children(&caller.actor) {
        let subject = Subject {
            action: "LIST_CHILDREN",
            entity_type: "Child",
            entity_id: None,
            child_id: None,
        };
        audit::denial(db, caller, subject, &error.to_string()).await?;
        return Err(error);
    }
    if first > MAX_PAGE {
        return Err(ApiError::LimitExceeded(format!(
            "first must be at most {MAX_PAGE}"
        )));
    }
    let mut scope = Condition::all().add(policy::visible_children(&caller.actor, caller.now));
    if let Some(status) = filter.status {
        scope = scope.add(children::Column::Status.eq(status));
    }
    let total = children::Entity::find()
        .filter(scope.clone())
        .count(db)
        .await?;
    let mut query = children::Entity::find().filter(scope);
    if let Some(after) = after {
        query = query.filter(children::Column::Id.gt(after));
    }
    let mut items = query
        .order_by_asc(children::Column::Id)
        .limit(first + 1)
        .all(db)
        .await?;
    let has_next = items.len() as u64 > first;
    items.truncate(usize::try_from(first).unwrap_or(usize::MAX));
    let ids: Vec<Uuid> = items.iter().map(|child| child.id).collect();
    audit::child_reads(db, caller, &ids).await?;
    Ok(Page {
        items,
        has_next,
        total,
    })
}

/// A child's involvements, current first.
pub async fn involvements_of<C: ConnectionTrait>(
    db: &C,
    child_id: Uuid,
) -> ApiResult<Vec<involvements::Model>> {
    Ok(involvements::Entity::find()
        .filter(involvements::Column::ChildId.eq(child_id))
        .order_by_asc(involvements::Column::Id)
        .all(db)
        .await?)
}

/// The involvements of several children, for the per-request loader.
pub async fn involvements_of_many(
    db: &DatabaseConnection,
    child_ids: &[Uuid],
) -> ApiResult<Vec<involvements::Model>> {
    Ok(involvements::Entity::find()
        .filter(involvements::Column::ChildId.is_in(child_ids.iter().copied()))
        .order_by_asc(involvements::Column::Id)
        .all(db)
        .await?)
}

/// An involvement whose child the caller may read; `None` otherwise.
pub async fn read_involvement(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<involvements::Model>> {
    let Some(involvement) = involvements::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(read_node(db, caller, involvement.child_id)
        .await?
        .map(|_| involvement))
}

/// The facts the policy needs about one child.
pub async fn facts(
    db: &DatabaseConnection,
    child_id: Uuid,
    team: &[involvements::Model],
) -> ApiResult<ChildFacts> {
    let grants = access_grants::Entity::find()
        .filter(access_grants::Column::ChildId.eq(child_id))
        .all(db)
        .await?;
    Ok(ChildFacts::from_rows(team, &grants))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NewChild {
        NewChild {
            given_name: "Testy".into(),
            family_name: "McTestface".into(),
            date_of_birth: NaiveDate::from_ymd_opt(2014, 5, 1),
            gender: "Not recorded".into(),
            ..NewChild::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    fn field_of(result: ApiResult<children::Model>) -> Option<String> {
        match result {
            Err(ApiError::Validation { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn names_fold_across_case_accents_and_spaces() {
        assert_eq!(fold_name("  Zoë   O'Brien "), "zoe o'brien");
        assert_eq!(fold_name("ÉLODIE"), fold_name("elodie"));
    }

    #[test]
    fn a_bad_nhs_number_is_refused_naming_the_field() {
        let bad = NewChild {
            nhs_number: Some("9434765918".into()),
            ..input()
        };
        assert_eq!(
            field_of(validate(bad, today())).as_deref(),
            Some("nhsNumber")
        );
        let good = NewChild {
            nhs_number: Some("943 476 5919".into()),
            ..input()
        };
        assert_eq!(
            validate(good, today())
                .ok()
                .and_then(|c| c.nhs_number)
                .as_deref(),
            Some("9434765919")
        );
    }

    #[test]
    fn a_bad_unique_pupil_number_is_refused_naming_the_field() {
        let bad = NewChild {
            unique_pupil_number: Some("T201345678901".into()),
            ..input()
        };
        assert_eq!(
            field_of(validate(bad, today())).as_deref(),
            Some("uniquePupilNumber")
        );
    }

    #[test]
    fn dates_of_birth_in_the_future_or_of_adults_are_refused() {
        let future = NewChild {
            date_of_birth: NaiveDate::from_ymd_opt(2027, 1, 1),
            ..input()
        };
        assert_eq!(
            field_of(validate(future, today())).as_deref(),
            Some("dateOfBirth")
        );
        let adult = NewChild {
            date_of_birth: NaiveDate::from_ymd_opt(2008, 11, 27),
            ..input()
        };
        assert_eq!(
            field_of(validate(adult, today())).as_deref(),
            Some("dateOfBirth")
        );
        let nearly = NewChild {
            date_of_birth: NaiveDate::from_ymd_opt(2008, 11, 28),
            ..input()
        };
        assert!(validate(nearly, today()).is_ok());
    }
}
