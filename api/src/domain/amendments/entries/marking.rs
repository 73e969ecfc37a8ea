//! `markEnteredInError`: the recording agency strikes a behaviour or chronology entry
//! through, keeping it on the record.

use super::*;

/// The kind of entry `markEnteredInError` names.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A behaviour.
    Behaviour,
    /// A chronology entry.
    ChronologyEntry,
}

/// An entry `markEnteredInError` acts on.
pub enum Marked {
    /// A behaviour.
    Behaviour(behaviours::Model),
    /// A chronology entry.
    ChronologyEntry(chronology_entries::Model),
}

/// `markEnteredInError`: the recording agency strikes an entry through. It stays, its
/// content withheld from every other agency, and drops out of the deadlines, the
/// strategic report, the escalation rule and the history alert. With `expected_version`
/// (the entry's version as read), a stale one is a `CONFLICT`, as for the amendments;
/// without it, the entry is marked at whatever version it has.
#[tracing::instrument(skip_all, fields(%entry_id, ?kind))]
pub async fn mark_entered_in_error(
    db: &DatabaseConnection,
    caller: &Caller,
    kind: EntryKind,
    entry_id: Uuid,
    reason_given: &str,
    expected_version: Option<i32>,
) -> ApiResult<Marked> {
    let entity = match kind {
        EntryKind::Behaviour => EntityType::Behaviour,
        EntryKind::ChronologyEntry => EntityType::ChronologyEntry,
    };
    let target = Target::row(entity, entry_id);
    let op = Operation::new(db, caller, AuditAction::MarkEnteredInError, target);
    let found = match kind {
        EntryKind::Behaviour => behaviours::Entity::find_by_id(entry_id)
            .one(db)
            .await?
            .map(Marked::Behaviour),
        EntryKind::ChronologyEntry => chronology_entries::Entity::find_by_id(entry_id)
            .one(db)
            .await?
            .map(Marked::ChronologyEntry),
    };
    let Some(found) = found else {
        return Err(op.deny(ApiError::NotFound).await);
    };
    let (child_id, agency, version, marked_at, snapshot) = match &found {
        Marked::Behaviour(b) => (
            b.child_id,
            b.agency_id,
            b.version,
            b.entered_in_error_at,
            behaviour_snapshot(b),
        ),
        Marked::ChronologyEntry(e) => (
            e.child_id,
            e.agency_id,
            e.version,
            e.entered_in_error_at,
            entry_snapshot(e),
        ),
    };
    let op = op.on(Target::for_child(entity, child_id).with_id(entry_id));
    let case = case::visible(&op, child_id).await?;
    op.authorize(policy::ensure_can_amend_entry(
        &caller.actor,
        &case.facts,
        agency,
    ))
    .await?;
    if let Marked::ChronologyEntry(e) = &found
        && is_milestone(e.kind)
    {
        return Err(ApiError::validation(
            "entryId",
            "this entry is written by an operation of its own (an assessment, closing or reopening the case) and is corrected through it",
        ));
    }
    if marked_at.is_some() {
        return Err(ApiError::validation(
            "entryId",
            "already marked entered in error",
        ));
    }
    let why = reason(reason_given)?;
    // The version the write is guarded by: the caller's when given, else the one read.
    let guard = match expected_version {
        Some(expected) => {
            check(expected, version)?;
            expected
        }
        None => version,
    };
    let mut write = op.begin().await?;
    // What changed: the mark; its reason is free text of the recording agency, kept as
    // restricted content.
    write.audit_changes(
        crate::domain::changes::Changes::new()
            .field("enteredInError", &false, &true)
            .restricted("enteredInErrorReason", &None::<String>, &Some(why.clone()))
            .into_vec(),
    );
    let by = Set(Some(caller.actor.subject.clone()));
    let saved = match found {
        Marked::Behaviour(b) => Marked::Behaviour(
            BEHAVIOUR
                .save(
                    write.txn(),
                    b.id,
                    guard,
                    caller.now(),
                    behaviours::ActiveModel {
                        entered_in_error_at: Set(Some(caller.now())),
                        entered_in_error_by: by,
                        entered_in_error_reason: Set(Some(why.clone())),
                        ..Default::default()
                    },
                )
                .await?,
        ),
        Marked::ChronologyEntry(e) => Marked::ChronologyEntry(
            ENTRY
                .save(
                    write.txn(),
                    e.id,
                    guard,
                    caller.now(),
                    chronology_entries::ActiveModel {
                        entered_in_error_at: Set(Some(caller.now())),
                        entered_in_error_by: by,
                        entered_in_error_reason: Set(Some(why.clone())),
                        ..Default::default()
                    },
                )
                .await?,
        ),
    };
    record_version(
        &write,
        Replaced {
            entity,
            entity_id: entry_id,
            child_id,
            version,
            snapshot,
            changed_fields: vec!["enteredInError".to_owned()],
            reason: &why,
        },
    )
    .await?;
    write.deadlines_changed(child_id);
    write.commit().await?;
    Ok(saved)
}
