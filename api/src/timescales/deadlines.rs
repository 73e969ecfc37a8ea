//! Deadlines (`docs/product.md`), derived from a child's chronology, behaviours and plans.
//!
//! Pure: the caller gathers a [`Timeline`] and gets the deadlines with their status at
//! a given instant. Days are London days: "N working days from X" ends at midnight
//! after the Nth working day following the day of X.

use chrono::Offset;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use entity::enums::{ChronologyKind, Pathway};
use uuid::Uuid;

use super::calendar::Calendar;
use super::dates::{add_months, birthday, sub_months};
use super::policy_file::DeadlinePolicy;

/// What a deadline is for. The default timescales (England) are given for each; the
/// partnership's policy file may change them.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, async_graphql::Enum)]
pub enum DeadlineKind {
    /// The lead agency decides a referral: 1 working day from the `REFERRAL`.
    ReferralDecision,
    /// A strategy discussion: 24 hours from the disclosure of a behaviour that escalated
    /// the case.
    StrategyDiscussion,
    /// An initial child protection conference: 15 working days from the strategy
    /// discussion, on a `CHILD_PROTECTION` or `BOTH` plan.
    InitialCpConference,
    /// A completed assessment: 45 working days from the `REFERRAL`.
    AssessmentCompleted,
    /// A joint plan's review: three months after activation, then three months after
    /// each review.
    PlanReview,
    /// An outcome (`OUTCOME`, `OUT_OF_COURT_DISPOSAL` or `NO_FURTHER_ACTION`) within 120
    /// days of the `DISCLOSURE`: a target, not a statutory limit.
    DisclosureToOutcome,
    /// Planning the move to adult services: from the 17th birthday while a plan is
    /// active, due six months before the 18th birthday.
    TransitionPlanning,
    /// The recording agency decides a request to share a restricted entry: 2 working
    /// days from the request; met when it is shared or declined.
    DisclosureDecision,
}

impl DeadlineKind {
    /// Every kind.
    pub const ALL: [DeadlineKind; 8] = [
        DeadlineKind::ReferralDecision,
        DeadlineKind::StrategyDiscussion,
        DeadlineKind::InitialCpConference,
        DeadlineKind::AssessmentCompleted,
        DeadlineKind::PlanReview,
        DeadlineKind::DisclosureToOutcome,
        DeadlineKind::TransitionPlanning,
        DeadlineKind::DisclosureDecision,
    ];

    /// Its stored name, the same as its GraphQL name.
    pub fn name(self) -> &'static str {
        match self {
            DeadlineKind::ReferralDecision => "REFERRAL_DECISION",
            DeadlineKind::StrategyDiscussion => "STRATEGY_DISCUSSION",
            DeadlineKind::InitialCpConference => "INITIAL_CP_CONFERENCE",
            DeadlineKind::AssessmentCompleted => "ASSESSMENT_COMPLETED",
            DeadlineKind::PlanReview => "PLAN_REVIEW",
            DeadlineKind::DisclosureToOutcome => "DISCLOSURE_TO_OUTCOME",
            DeadlineKind::TransitionPlanning => "TRANSITION_PLANNING",
            DeadlineKind::DisclosureDecision => "DISCLOSURE_DECISION",
        }
    }

    /// The kind of a stored name.
    pub fn from_name(name: &str) -> Option<DeadlineKind> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// Where a deadline stands at the time of the request.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, async_graphql::Enum)]
pub enum DeadlineStatus {
    /// Met on or before its due time.
    Met,
    /// Met, but after its due time; a late reason may be recorded.
    MetLate,
    /// Not met yet, and its due time has not passed.
    Due,
    /// Not met, and its due time has passed; a late reason may be recorded.
    Overdue,
}

/// One chronology entry, as timescales read it.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Its id (deadlines started by it are named after it).
    pub id: Uuid,
    /// What it records.
    pub kind: ChronologyKind,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// One joint plan, as timescales read it.
#[derive(Clone, Debug)]
pub struct PlanTimeline {
    /// Its id.
    pub id: Uuid,
    /// Its pathway.
    pub pathway: Pathway,
    /// Its lead agency.
    pub lead_agency: Uuid,
    /// When it went live.
    pub activated_at: Option<DateTime<Utc>>,
    /// When it closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Its reviews, oldest first: when held, and the next due date it set.
    pub reviews: Vec<(NaiveDate, Option<NaiveDate>)>,
}

/// One disclosure request, as timescales read it.
#[derive(Clone, Debug)]
pub struct DisclosureTimeline {
    /// Its id (its deadline is named after it).
    pub id: Uuid,
    /// The agency that recorded the entry and decides.
    pub recording_agency: Uuid,
    /// When it was made.
    pub requested_at: DateTime<Utc>,
    /// When it was decided, if it has been.
    pub decided_at: Option<DateTime<Utc>>,
}

/// Everything about one child that deadlines are derived from.
#[derive(Clone, Debug)]
pub struct Timeline {
    /// The child.
    pub child_id: Uuid,
    /// Their date of birth.
    pub date_of_birth: NaiveDate,
    /// The lead agency.
    pub lead_agency: Option<Uuid>,
    /// The agency answerable for criminal justice outcomes (designated police on the team).
    pub police_agency: Option<Uuid>,
    /// The chronology, any order.
    pub entries: Vec<Entry>,
    /// Escalated behaviours: id and disclosure time.
    pub escalations: Vec<(Uuid, DateTime<Utc>)>,
    /// The joint plans.
    pub plans: Vec<PlanTimeline>,
    /// The disclosure requests about the child's restricted entries.
    pub disclosures: Vec<DisclosureTimeline>,
    /// Whether the case is closed now (its status is `CLOSED`).
    pub closed: bool,
}

/// A derived deadline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    /// Stable id, derived from what it is computed from.
    pub id: Uuid,
    /// What it is for.
    pub kind: DeadlineKind,
    /// The child.
    pub child_id: Uuid,
    /// The agency answerable for it.
    pub responsible_agency: Option<Uuid>,
    /// When the clock started.
    pub started_at: DateTime<Utc>,
    /// When it falls due (exclusive).
    pub due_at: DateTime<Utc>,
    /// When it was met, if it has been.
    pub met_at: Option<DateTime<Utc>>,
}

impl Deadline {
    /// Its status at `now`: a milestone recorded after `now` does not count yet.
    pub fn status(&self, now: DateTime<Utc>) -> DeadlineStatus {
        match self.met_at.filter(|met| *met <= now) {
            Some(met) if met < self.due_at => DeadlineStatus::Met,
            Some(_) => DeadlineStatus::MetLate,
            None if now >= self.due_at => DeadlineStatus::Overdue,
            None => DeadlineStatus::Due,
        }
    }
}

/// The namespace of deadline ids.
const NAMESPACE: Uuid = Uuid::from_u128(0x7c0a_5e1d_6a3b_4f0e_9c2d_c0c0_4d0e_a001);

fn id(kind: DeadlineKind, source: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("{kind:?}:{source}").as_bytes())
}

/// The London day of an instant. At the very edges of what chrono represents the
/// offset could push the local time out of range; the UTC day stands in there.
pub fn london_day(at: DateTime<Utc>) -> NaiveDate {
    let utc = at.naive_utc();
    let offset = London.offset_from_utc_datetime(&utc).fix();
    utc.checked_add_offset(offset)
        .map_or_else(|| utc.date(), |local| local.date())
}

/// Midnight at the start of a London day, as UTC.
pub fn london_midnight(day: NaiveDate) -> DateTime<Utc> {
    London
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .earliest()
        .map_or_else(
            || day.and_time(NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

/// `at` plus `span`, saturating at the last representable instant: a stored time far in
/// the future gives a deadline far in the future, never a panic.
fn later(at: DateTime<Utc>, span: chrono::Duration) -> DateTime<Utc> {
    at.checked_add_signed(span)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Midday of a London day, when a meeting held that day counts as met.
fn midday(day: NaiveDate) -> DateTime<Utc> {
    later(london_midnight(day), chrono::Duration::hours(12))
}

/// The end of a London day (midnight after it).
pub fn end_of_day(day: NaiveDate) -> DateTime<Utc> {
    london_midnight(day.checked_add_days(Days::new(1)).unwrap_or(day))
}

/// The end of the `n`th working day after the day of `from`.
pub fn working_days_after(calendar: &Calendar, from: DateTime<Utc>, n: u32) -> DateTime<Utc> {
    end_of_day(calendar.add_working_days(london_day(from), n))
}

fn first_after(
    entries: &[Entry],
    kinds: &[ChronologyKind],
    from: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    entries
        .iter()
        .filter(|e| kinds.contains(&e.kind) && e.occurred_at >= from)
        .map(|e| e.occurred_at)
        .min()
}

/// Every deadline of the child's timeline.
pub fn derive(timeline: &Timeline, policy: &DeadlinePolicy, calendar: &Calendar) -> Vec<Deadline> {
    let mut out = Vec::new();
    let child_id = timeline.child_id;
    let lead = timeline.lead_agency;
    let entries = &timeline.entries;
    let deadline = |kind, source: String, responsible, started_at, due_at, met_at| Deadline {
        id: id(kind, &source),
        kind,
        child_id,
        responsible_agency: responsible,
        started_at,
        due_at,
        met_at,
    };
    for referral in entries
        .iter()
        .filter(|e| e.kind == ChronologyKind::Referral)
    {
        let start = referral.occurred_at;
        out.push(deadline(
            DeadlineKind::ReferralDecision,
            referral.id.to_string(),
            lead,
            start,
            working_days_after(calendar, start, policy.referral_decision_working_days),
            first_after(entries, &[ChronologyKind::ReferralDecision], start),
        ));
        out.push(deadline(
            DeadlineKind::AssessmentCompleted,
            referral.id.to_string(),
            lead,
            start,
            working_days_after(calendar, start, policy.assessment_completed_working_days),
            first_after(entries, &[ChronologyKind::AssessmentCompleted], start),
        ));
    }
    for (behaviour, disclosed_at) in &timeline.escalations {
        out.push(deadline(
            DeadlineKind::StrategyDiscussion,
            behaviour.to_string(),
            lead,
            *disclosed_at,
            later(
                *disclosed_at,
                chrono::Duration::hours(i64::from(policy.strategy_discussion_hours)),
            ),
            first_after(
                entries,
                &[ChronologyKind::StrategyDiscussion],
                *disclosed_at,
            ),
        ));
    }
    let protection = timeline
        .plans
        .iter()
        .any(|p| matches!(p.pathway, Pathway::ChildProtection | Pathway::Both));
    if protection {
        for discussion in entries
            .iter()
            .filter(|e| e.kind == ChronologyKind::StrategyDiscussion)
        {
            let start = discussion.occurred_at;
            out.push(deadline(
                DeadlineKind::InitialCpConference,
                discussion.id.to_string(),
                lead,
                start,
                working_days_after(calendar, start, policy.initial_cp_conference_working_days),
                first_after(entries, &[ChronologyKind::InitialCpConference], start),
            ));
        }
    }
    let outcomes = [
        ChronologyKind::Outcome,
        ChronologyKind::OutOfCourtDisposal,
        ChronologyKind::NoFurtherAction,
    ];
    for disclosure in entries
        .iter()
        .filter(|e| e.kind == ChronologyKind::Disclosure)
    {
        let start = disclosure.occurred_at;
        out.push(deadline(
            DeadlineKind::DisclosureToOutcome,
            disclosure.id.to_string(),
            timeline.police_agency.or(lead),
            start,
            later(
                start,
                chrono::Duration::days(i64::from(policy.disclosure_to_outcome_days)),
            ),
            first_after(entries, &outcomes, start),
        ));
    }
    for plan in &timeline.plans {
        out.extend(plan_reviews(child_id, plan, policy));
    }
    for request in &timeline.disclosures {
        out.push(deadline(
            DeadlineKind::DisclosureDecision,
            request.id.to_string(),
            Some(request.recording_agency),
            request.requested_at,
            working_days_after(
                calendar,
                request.requested_at,
                policy.disclosure_decision_working_days,
            ),
            request.decided_at,
        ));
    }
    out.extend(transition(timeline, policy));
    out.retain(|d| !stopped_by_closure(timeline, d));
    out.sort_by_key(|d| (d.due_at, d.kind));
    out
}

/// Closing a case stops every deadline still open when it closed (a `CASE_CLOSED`
/// entry after the clock started, before it was met); a closed case owes nothing that
/// is not met. A reopened case starts new clocks from the new referral or behaviour.
fn stopped_by_closure(timeline: &Timeline, deadline: &Deadline) -> bool {
    if timeline.closed && deadline.met_at.is_none() {
        return true;
    }
    timeline
        .entries
        .iter()
        .filter(|e| e.kind == ChronologyKind::CaseClosed)
        .any(|closed| {
            closed.occurred_at >= deadline.started_at
                && deadline.met_at.is_none_or(|met| met > closed.occurred_at)
        })
}

/// First review three months after activation, then one after each review, while open.
fn plan_reviews(child_id: Uuid, plan: &PlanTimeline, policy: &DeadlinePolicy) -> Vec<Deadline> {
    let Some(activated_at) = plan.activated_at else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = activated_at;
    let mut due = add_months(london_day(activated_at), policy.plan_review_months);
    let mut reviews = plan.reviews.iter();
    for n in 0.. {
        let review = reviews.next();
        if review.is_none()
            && plan
                .closed_at
                .is_some_and(|closed| closed < end_of_day(due))
        {
            // Closed before the review fell due: nothing more is owed.
            break;
        }
        let met_at = review.map(|(held_on, _)| midday(*held_on));
        out.push(Deadline {
            id: id(DeadlineKind::PlanReview, &format!("{}:{n}", plan.id)),
            kind: DeadlineKind::PlanReview,
            child_id,
            responsible_agency: Some(plan.lead_agency),
            started_at: start,
            due_at: end_of_day(due),
            met_at,
        });
        let Some((held_on, next)) = review else { break };
        start = london_midnight(*held_on);
        due = next.unwrap_or_else(|| add_months(*held_on, policy.plan_review_months));
    }
    out
}

/// From the 17th birthday, while a plan is active, transition planning is due six months
/// before 18; a plan review held from the 17th birthday on meets it.
fn transition(timeline: &Timeline, policy: &DeadlinePolicy) -> Option<Deadline> {
    let dob = timeline.date_of_birth;
    let seventeenth = birthday(dob, 17)?;
    let eighteenth = birthday(dob, 18)?;
    let start = london_midnight(seventeenth);
    let plan = timeline
        .plans
        .iter()
        .find(|p| p.activated_at.is_some() && p.closed_at.is_none_or(|closed| closed >= start))?;
    let due = sub_months(eighteenth, policy.transition_alert_months_before_18);
    let met_at = timeline
        .plans
        .iter()
        .flat_map(|p| p.reviews.iter().map(|(held, _)| *held))
        .filter(|held| *held >= seventeenth)
        .min()
        .map(midday);
    Some(Deadline {
        id: id(
            DeadlineKind::TransitionPlanning,
            &timeline.child_id.to_string(),
        ),
        kind: DeadlineKind::TransitionPlanning,
        child_id: timeline.child_id,
        responsible_agency: Some(plan.lead_agency),
        started_at: start,
        due_at: end_of_day(due),
        met_at,
    })
}

#[cfg(test)]
mod tests;
