//! Children: registration, name matching and the scoped reads of the record.

use chrono::NaiveDate;
use entity::children;
use entity::enums::{ChildStatus, InvolvementRole};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use super::audit::{self, AuditAction, EntityType, Target};
use super::involvements::{NewInvolvement, insert_involvement};
use super::op::Operation;
use super::paging::{self, Page, PageRequest};
use super::{Caller, identifiers, new_id, optional_text, required_text, visible};
use crate::error::{ApiError, ApiResult};
use crate::policy;
use crate::timescales::dates;

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
    super::bounds::ensure_past_day("dateOfBirth", date_of_birth, today)?;
    if !dates::is_under(date_of_birth, 18, today) {
        return Err(ApiError::validation(
            "dateOfBirth",
            "the child must be under 18",
        ));
    }
    let nhs_number = identifiers::parse_nhs_number(input.nhs_number)?;
    let unique_pupil_number = identifiers::parse_unique_pupil_number(input.unique_pupil_number)?;
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
    let op = Operation::new(
        db,
        caller,
        AuditAction::RegisterChild,
        Target::of(EntityType::Child),
    );
    op.authorize(policy::ensure_can_register_child(&caller.actor))
        .await?;
    let child = validate(input, caller.now().date_naive())?;
    let mut write = op.begin().await?;
    // A referral of the same child at the same moment must not create it twice.
    super::referrals::lock_identity(&write, &child).await?;
    let saved = insert_child(write.txn(), child).await?;
    let lead = NewInvolvement {
        agency_id: caller.actor.agency_id,
        role: InvolvementRole::Lead,
        lead_practitioner: Some(caller.actor.name.clone()),
        reason: Some("registered the child".into()),
    };
    insert_involvement(write.txn(), caller, saved.id, lead).await?;
    write.audit_target(Target::child(saved.id));
    write.audit_created::<children::Entity>(&saved);
    write.commit().await?;
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

/// A visible child, audited as read; a miss is audited as a denial (`child(id)` reads
/// through [`visible::read_child_audited_with`]).
pub async fn read_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<children::Model> {
    visible::read_child_audited(db, caller, id).await
}

/// A child by id for `node(id:)`: `None` when missing or not visible (audited).
pub async fn read_node_audited(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Uuid,
) -> ApiResult<Option<children::Model>> {
    match visible::read_child_audited(db, caller, id).await {
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

/// `children(filter, first, after)`: the visible children, filtered in SQL, audited.
/// The query's reads under the page (`alongside`, given a copy of its children) are made
/// while the audit rows are written; both finish before anything is returned, and a
/// failed audit fails the whole page.
pub async fn list_audited<F, Fut>(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: ChildFilter,
    page: PageRequest,
    alongside: F,
) -> ApiResult<(Page<children::Model>, Fut::Output)>
where
    F: FnOnce(Vec<children::Model>) -> Fut,
    Fut: Future,
{
    let op = Operation::new(
        db,
        caller,
        AuditAction::ListChildren,
        Target::of(EntityType::Child),
    );
    op.authorize(policy::ensure_can_list_children(&caller.actor))
        .await?;
    let actor = &caller.actor;
    let filter = filter
        .status
        .map(|status| Condition::all().add(children::Column::Status.eq(status)));
    // Counted over the ids of the caseload (as a join, which PostgreSQL plans far more
    // cheaply than the correlated condition over every child).
    let all = policy::visible_child_ids(actor, caller.now(), None, None, None);
    let mut counted = children::Entity::find().filter(children::Column::Id.in_subquery(all));
    if let Some(filter) = filter.clone() {
        counted = counted.filter(filter);
    }
    // The page's rows come from the first ids of the caseload after the cursor, walked
    // from the agency's side, and each still passes the visibility condition.
    let first = policy::visible_child_ids(
        actor,
        caller.now(),
        page.after,
        Some(page.first + 1),
        filter.clone(),
    );
    let mut rows = children::Entity::find()
        .filter(policy::visible_children(actor, caller.now()))
        .filter(children::Column::Id.in_subquery(first));
    if let Some(filter) = filter {
        rows = rows.filter(filter);
    }
    let page = paging::fetch_narrowed(db, counted, rows, children::Column::Id, page).await?;
    let ids: Vec<Uuid> = page.items.iter().map(|child| child.id).collect();
    let (audited, read) = futures_util::join!(
        audit::record_child_reads(db, caller, &ids),
        alongside(page.items.clone()),
    );
    audited?;
    Ok((page, read))
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
