//! The rules of the procedure. Only this layer writes, and every operation, read or
//! write, follows one recipe, carried by [`op::Operation`]:
//!
//! 1. **Name it.** `Operation::new(db, caller, AuditAction::…, Target::…)`: what is done
//!    and to what. Actions and entity types are enums ([`audit::AuditAction`],
//!    [`audit::EntityType`]); there are no string literals in audit rows.
//! 2. **Find what it acts on through the policy.** [`case::visible`] for a child's case,
//!    [`visible`] for rows reached through their child or plan. A miss is audited and
//!    answered `NOT_FOUND`, the same for a row that exists but is not visible as for
//!    one that does not exist.
//! 3. **Authorize.** `op.authorize(policy::ensure_…(&caller.actor, &facts))`: the policy
//!    decides; a refusal is audited there, in one place, and returned.
//! 4. **Validate** the input (bounded text, dates, ids that exist). Validation errors name
//!    the input field.
//! 5. **Write.** `let mut write = op.begin().await?` opens the write transaction. Read
//!    inside it whatever the decision depends on (take `write.lock(key)` first when two
//!    callers could race), write the rows, `write.audit_row(id)` to name the new row,
//!    `write.record_also(…)` for a further change made on the way, `write.emit(Event)` for
//!    the outbox.
//! 6. **Commit.** `write.commit()` writes the operation's audit row in the same
//!    transaction and commits; it is the only way to commit, so a change is never
//!    saved without its audit row, and dropping a `Write` rolls everything back.
//!
//! A new mutation is therefore a short function that states its rule (step 3) and its
//! writes (step 5); see `plans::close` for the smallest complete example.

pub mod actions;
pub mod agencies;
pub mod amendments;
pub mod assessments;
pub mod audit;
pub mod audit_chain;
pub mod audit_log;
pub mod behaviours;
pub mod bounds;
pub mod case;
pub mod changes;
pub mod children;
pub mod chronology;
pub mod classification;
pub mod closure;
pub mod consultation_rule;
pub mod consultations;
pub mod deadlines;
pub mod disclosures;
pub mod export;
pub mod grants;
pub mod identifiers;
pub mod involvements;
pub mod known_child;
pub mod legal_holds;
pub mod masked;
pub mod op;
pub mod outbox;
pub mod paging;
pub mod plan_members;
pub mod plans;
pub mod referrals;
pub mod report;
pub mod retention;
pub mod retry;
pub mod subscriptions;
pub mod suppression;
pub mod tx;
pub mod versioned;
pub mod visible;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::auth::Actor;

/// How many database statements one request's per-item resolvers may have in flight at
/// once, so that one request fanning out over a long list cannot take the whole connection
/// pool. The prefetch of a page's relations (`graphql::prefetch`) reads a fixed number of
/// relations at once, whatever the data, and takes no slot.
pub const MAX_DB_CONCURRENCY: usize = 4;

/// The verified caller of one request, with what this request has already audited.
#[derive(Debug)]
pub struct Caller {
    /// Who is asking.
    pub actor: Actor,
    /// The request id, also on every log line of the request.
    pub request_id: String,
    /// When the request started: one clock for every decision in it ([`Caller::now`]).
    clock: Clock,
    /// The subscription event this caller last started ([`Caller::start_event`]).
    event: Mutex<Option<i64>>,
    children_read: Mutex<HashSet<Uuid>>,
    db_slots: tokio::sync::Semaphore,
}

impl Caller {
    /// A caller for one request.
    pub fn new(actor: Actor, request_id: String) -> Self {
        Self {
            actor,
            request_id,
            clock: Clock(Arc::new(Mutex::new(Utc::now()))),
            event: Mutex::new(None),
            children_read: Mutex::new(HashSet::new()),
            db_slots: tokio::sync::Semaphore::new(MAX_DB_CONCURRENCY),
        }
    }

    /// One of this request's [`MAX_DB_CONCURRENCY`] database slots; a resolver that reads
    /// holds it while it reads and lets go before its children resolve.
    pub async fn db_slot(&self) -> crate::error::ApiResult<tokio::sync::SemaphorePermit<'_>> {
        self.db_slots
            .acquire()
            .await
            .map_err(|_| crate::error::ApiError::Internal("request slots closed".into()))
    }

    /// The request's clock: when it started, the one time every decision in it is made
    /// at.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// This caller with its clock set to `now` (a test, or a tool acting as of a time).
    pub fn with_now(self, now: DateTime<Utc>) -> Self {
        *lock(&self.clock.0) = now;
        self
    }

    /// The request's clock itself, for a loader that decides at its time.
    pub fn clock(&self) -> Clock {
        self.clock.clone()
    }

    /// Starts a subscription's event `seq` as a request of its own: the clock moves to
    /// now, so that what is decided for the event (an access grant's expiry above all) is
    /// decided at its delivery, not when the subscription started, and the children the
    /// event reads are audited again. The event's fields all call it; only the first call
    /// for an event starts it (true), so one event is one clock and one audit set.
    pub fn start_event(&self, seq: i64) -> bool {
        let mut event = lock(&self.event);
        if *event == Some(seq) {
            return false;
        }
        *event = Some(seq);
        *lock(&self.clock.0) = Utc::now();
        lock(&self.children_read).clear();
        true
    }

    /// Of `ids`, those this request has not yet audited as read; marks them read.
    fn first_reads(&self, ids: &[Uuid]) -> Vec<Uuid> {
        let mut seen = lock(&self.children_read);
        ids.iter().copied().filter(|id| seen.insert(*id)).collect()
    }
}

/// A request's clock (see [`Caller::now`]), shared with the loaders that decide at it.
#[derive(Clone, Debug)]
pub struct Clock(Arc<Mutex<DateTime<Utc>>>);

impl Clock {
    /// The time it shows.
    pub fn now(&self) -> DateTime<Utc> {
        *lock(&self.0)
    }

    /// Whether `other` is this same clock (not merely showing the same time).
    pub fn is(&self, other: &Clock) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The value behind `mutex`, also after a panic elsewhere poisoned it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// A fresh time-ordered primary key.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Trims a text input; empty means absent.
pub fn optional_text(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Trims a required text input, refusing it when empty or too long.
pub fn required_text(field: &str, value: &str, max: usize) -> crate::error::ApiResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(crate::error::ApiError::validation(
            field,
            "must not be empty",
        ));
    }
    if value.chars().count() > max {
        return Err(crate::error::ApiError::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// Configuration the rules need: the designated agencies (`docs/product.md`, `docs/operating.md`) and the
/// timescales policy with its calendar (§4.4).
#[derive(Clone, Debug, Default)]
pub struct DomainConfig {
    /// Code of the children's social care agency told of escalations and leading referrals.
    pub designated_social_care: Option<String>,
    /// Code of the police agency told of escalations.
    pub designated_police: Option<String>,
    /// Deadline lengths and the working-day calendar.
    pub timescales: std::sync::Arc<Timescales>,
    /// The assessment frameworks in force.
    pub frameworks: Frameworks,
    /// The retention schedule (the policy file's `[retention]`).
    pub retention: crate::timescales::policy_file::RetentionPolicy,
}

/// The assessment frameworks in force (the policy file's, or the shipped ones).
#[derive(Clone, Debug)]
pub struct Frameworks(pub std::sync::Arc<Vec<crate::timescales::frameworks::Framework>>);

impl Frameworks {
    /// The frameworks of a policy.
    pub fn from_policy(policy: &crate::timescales::policy_file::Policy) -> Self {
        Self(std::sync::Arc::new(policy.frameworks()))
    }

    /// The framework with `code`, if any.
    pub fn find(&self, code: &str) -> Option<&crate::timescales::frameworks::Framework> {
        self.0.iter().find(|framework| framework.code == code)
    }
}

impl Default for Frameworks {
    fn default() -> Self {
        Self::from_policy(&crate::timescales::policy_file::Policy::default_policy())
    }
}

/// The timescales policy in force and the calendar of its jurisdiction.
#[derive(Clone, Debug)]
pub struct Timescales {
    /// Deadline lengths.
    pub deadlines: crate::timescales::policy_file::DeadlinePolicy,
    /// Working days of the jurisdiction.
    pub calendar: crate::timescales::calendar::Calendar,
}

impl Timescales {
    /// The timescales of a policy.
    pub fn from_policy(policy: &crate::timescales::policy_file::Policy) -> Self {
        Self {
            deadlines: policy.deadlines,
            calendar: crate::timescales::calendar::Calendar::for_jurisdiction(policy.jurisdiction),
        }
    }
}

impl Default for Timescales {
    fn default() -> Self {
        Self::from_policy(&crate::timescales::policy_file::Policy::default_policy())
    }
}

impl DomainConfig {
    /// The designated agencies that exist and are active, social care first.
    pub async fn designated_agencies(
        &self,
        db: &sea_orm::DatabaseConnection,
    ) -> crate::error::ApiResult<Vec<Uuid>> {
        let mut ids = Vec::new();
        for code in [&self.designated_social_care, &self.designated_police]
            .into_iter()
            .flatten()
        {
            match agencies::by_code(db, code).await? {
                Some(agency) if agency.active => ids.push(agency.id),
                _ => tracing::warn!(%code, "designated agency is missing or inactive"),
            }
        }
        Ok(ids)
    }

    /// The designated children's social care agency, if configured and active.
    pub async fn social_care(
        &self,
        db: &sea_orm::DatabaseConnection,
    ) -> crate::error::ApiResult<Option<entity::agencies::Model>> {
        let Some(code) = &self.designated_social_care else {
            return Ok(None);
        };
        Ok(agencies::by_code(db, code)
            .await?
            .filter(|agency| agency.active))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[tokio::test]
    async fn a_request_holds_at_most_its_database_slots_at_once() {
        let actor = Actor {
            subject: "slots".into(),
            name: "Slots".into(),
            agency_id: Uuid::from_u128(1),
            agency_code: "a".into(),
            agency_kind: entity::enums::AgencyKind::Other,
            roles: BTreeSet::new(),
            expires_at: Utc::now(),
        };
        let caller = Caller::new(actor, "r".into());
        let mut held = Vec::new();
        for _ in 0..MAX_DB_CONCURRENCY {
            held.push(caller.db_slot().await.ok());
        }
        assert!(
            caller.db_slots.try_acquire().is_err(),
            "the next read waits for a slot"
        );
        held.pop();
        assert!(
            caller.db_slots.try_acquire().is_ok(),
            "a freed slot is reused"
        );
    }

    #[test]
    fn each_subscription_event_starts_once_with_a_fresh_clock_and_audit_set() {
        let actor = Actor {
            subject: "events".into(),
            name: "Events".into(),
            agency_id: Uuid::from_u128(1),
            agency_code: "a".into(),
            agency_kind: entity::enums::AgencyKind::Other,
            roles: BTreeSet::new(),
            expires_at: Utc::now(),
        };
        let started = Utc::now() - chrono::Duration::hours(1);
        let caller = Caller::new(actor, "r".into()).with_now(started);
        let clock = caller.clock();
        let child = Uuid::from_u128(7);
        assert_eq!(caller.first_reads(&[child]), vec![child]);
        assert!(caller.start_event(41));
        assert!(caller.now() > started, "the clock moved to the delivery");
        assert_eq!(clock.now(), caller.now(), "loaders share the clock");
        assert_eq!(caller.first_reads(&[child]), vec![child], "audited again");
        let at = caller.now();
        assert!(!caller.start_event(41), "a sibling field of the same event");
        assert_eq!(caller.now(), at);
        assert!(caller.first_reads(&[child]).is_empty(), "once per event");
        assert!(caller.start_event(42));
        assert_eq!(caller.first_reads(&[child]), vec![child]);
    }
}
