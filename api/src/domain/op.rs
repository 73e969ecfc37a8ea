//! The one way a domain operation runs (the recipe of `domain/mod.rs`).
//!
//! An [`Operation`] names what is being done and to what. It turns the policy's decision
//! into an audited refusal in one place ([`Operation::authorize`], [`Operation::deny`]),
//! and [`Operation::begin`] opens the write transaction as a [`Write`], whose
//! [`Write::commit`] is the only way to commit: it writes the operation's audit row in
//! the same transaction first. A `Write` dropped without commit rolls back.

use entity::enums::AuditOutcome;
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use uuid::Uuid;

use super::audit::{self, AuditAction, Target};
use super::outbox::{self, Event};
use super::{Caller, tx};
use crate::error::{ApiError, ApiResult};

/// One operation of one caller: what it does and to what.
#[derive(Clone, Copy)]
pub struct Operation<'a> {
    /// The database.
    pub db: &'a DatabaseConnection,
    /// Who asks.
    pub caller: &'a Caller,
    action: AuditAction,
    target: Target,
}

impl<'a> Operation<'a> {
    /// An operation `action` on `target`.
    pub fn new(
        db: &'a DatabaseConnection,
        caller: &'a Caller,
        action: AuditAction,
        target: Target,
    ) -> Self {
        Self {
            db,
            caller,
            action,
            target,
        }
    }

    /// The same operation with a narrower target, once the row is known.
    pub fn on(self, target: Target) -> Self {
        Self { target, ..self }
    }

    /// What the operation is about.
    pub fn target(&self) -> Target {
        self.target
    }

    /// Applies the policy's decision: a refusal is audited, then returned.
    pub async fn authorize(&self, decision: ApiResult<()>) -> ApiResult<()> {
        match decision {
            Ok(()) => Ok(()),
            Err(error) => Err(self.deny(error).await),
        }
    }

    /// Audits a refusal and returns the error to send. When the audit write itself fails,
    /// that failure is what the caller gets: a refusal is never silent.
    pub async fn deny(&self, error: ApiError) -> ApiError {
        let reason = match &error {
            ApiError::NotFound => "not found or not visible".to_owned(),
            other => other.to_string(),
        };
        match audit::record(
            self.db,
            self.caller,
            self.action,
            self.target,
            AuditOutcome::Denied,
            Some(&reason),
        )
        .await
        {
            Ok(()) => error,
            Err(audit_failed) => audit_failed,
        }
    }

    /// Records an allowed action that writes nothing else (a lookup that is audited).
    pub async fn record_allowed(&self) -> ApiResult<()> {
        audit::record(
            self.db,
            self.caller,
            self.action,
            self.target,
            AuditOutcome::Allowed,
            None,
        )
        .await
    }

    /// Opens the write transaction.
    pub async fn begin(&self) -> ApiResult<Write<'a>> {
        Ok(Write {
            txn: tx::begin(self.db).await?,
            caller: self.caller,
            action: self.action,
            target: self.target,
            reason: None,
            changes: Vec::new(),
            deadlines_changed: std::sync::Mutex::new(Vec::new()),
        })
    }
}

/// The write transaction of one operation.
pub struct Write<'a> {
    txn: tx::WriteTxn,
    caller: &'a Caller,
    action: AuditAction,
    target: Target,
    reason: Option<String>,
    /// What the operation changed, for its audit row (`Write::audit_changes`).
    changes: Vec<super::changes::Change>,
    /// Children whose stored deadlines [`Write::commit`] re-derives.
    deadlines_changed: std::sync::Mutex<Vec<Uuid>>,
}

impl std::ops::Deref for Write<'_> {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl<'a> Write<'a> {
    /// The connection to write through.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Who asks.
    pub fn caller(&self) -> &'a Caller {
        self.caller
    }

    /// Names the row the operation's audit row is about (once it exists).
    pub fn audit_row(&mut self, id: Uuid) {
        self.target = self.target.with_id(id);
    }

    /// Aims the operation's audit row at `target` (a row created on the way).
    pub fn audit_target(&mut self, target: Target) {
        self.target = target;
    }

    /// Records the reason given (an override) on the operation's audit row.
    pub fn audit_reason(&mut self, reason: &str) {
        self.reason = Some(reason.to_owned());
    }

    /// Records what the operation changed on its audit row (`audit_events.changes`);
    /// build the list with [`super::changes::Changes`]. Called again, it adds to the list.
    pub fn audit_changes(&mut self, changes: Vec<super::changes::Change>) {
        self.changes.extend(changes);
    }

    /// Records on the operation's audit row what changed from `old` to `new`, two
    /// versions of one row of `E` (see [`super::changes::diff`]).
    pub fn audit_diff<E: sea_orm::EntityTrait>(&mut self, old: &E::Model, new: &E::Model) {
        self.changes.extend(super::changes::diff::<E>(old, new));
    }

    /// Records on the operation's audit row the fields of a new row of `E` (see
    /// [`super::changes::created`]).
    pub fn audit_created<E: sea_orm::EntityTrait>(&mut self, new: &E::Model) {
        self.changes.extend(super::changes::created::<E>(new));
    }

    /// [`Write::audit_created`], from the row about to be inserted.
    pub fn audit_created_active<A: sea_orm::ActiveModelTrait>(&mut self, new: &A) {
        self.changes.extend(super::changes::created_active(new));
    }

    /// Audits a further change the operation makes on the way (an agency joining a
    /// case team as a plan member, say), in this transaction.
    pub async fn record_also(&self, action: AuditAction, target: Target) -> ApiResult<()> {
        audit::record(
            &*self.txn,
            self.caller,
            action,
            target,
            AuditOutcome::Allowed,
            None,
        )
        .await
    }

    /// Writes an outbox event in this transaction.
    pub async fn emit(&self, event: Event) -> ApiResult<i64> {
        outbox::record(&*self.txn, self.caller, event).await
    }

    /// Notes that this write changes a fact the child's deadlines are derived from (a
    /// chronology entry, an escalation, a plan's dates, the case team); [`Write::commit`]
    /// re-derives the child's stored deadlines in this transaction.
    pub fn deadlines_changed(&self, child_id: Uuid) {
        let mut changed = match self.deadlines_changed.lock() {
            Ok(changed) => changed,
            Err(poisoned) => poisoned.into_inner(),
        };
        changed.push(child_id);
    }

    /// Serialises with other transactions about `key` until this one ends.
    pub async fn lock(&self, key: &str) -> ApiResult<()> {
        tx::lock_key(&self.txn, key).await
    }

    /// Re-derives the stored deadlines of the children this write changed, each under its
    /// `deadlines:` lock (in id order, so that two writes cannot wait on each other), so
    /// that what is derived sees every fact committed before it.
    async fn refresh_deadlines(&self) -> ApiResult<()> {
        let mut children = match self.deadlines_changed.lock() {
            Ok(mut changed) => std::mem::take(&mut *changed),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        if children.is_empty() {
            return Ok(());
        }
        children.sort_unstable();
        children.dedup();
        for child in &children {
            self.lock(&super::deadlines::stored::lock_key(*child))
                .await?;
        }
        super::deadlines::stored::refresh(&*self.txn, &children).await
    }

    /// Re-derives the deadlines the write changed, writes the operation's audit row and
    /// commits.
    pub async fn commit(self) -> ApiResult<()> {
        self.refresh_deadlines().await?;
        audit::record_changes(
            &*self.txn,
            self.caller,
            self.action,
            self.target,
            AuditOutcome::Allowed,
            self.reason.as_deref(),
            &self.changes,
        )
        .await?;
        self.txn.commit().await
    }
}
