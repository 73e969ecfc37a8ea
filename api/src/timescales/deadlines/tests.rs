use chrono::{Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::timescales::calendar::{Calendar, Jurisdiction};
use crate::timescales::policy_file::Policy;

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .unwrap_or_default()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn timeline() -> Timeline {
    Timeline {
        child_id: Uuid::from_u128(1),
        date_of_birth: day(2012, 1, 1),
        lead_agency: Some(Uuid::from_u128(10)),
        police_agency: Some(Uuid::from_u128(11)),
        entries: vec![],
        escalations: vec![],
        plans: vec![],
        disclosures: vec![],
        closed: false,
    }
}

fn entry(n: u128, kind: ChronologyKind, occurred_at: DateTime<Utc>) -> Entry {
    Entry {
        id: Uuid::from_u128(n),
        kind,
        occurred_at,
    }
}

fn calendar() -> Calendar {
    Calendar::for_jurisdiction(Jurisdiction::EnglandAndWales)
}

fn policy() -> DeadlinePolicy {
    Policy::default_policy().deadlines
}

#[test]
fn a_thursday_referral_before_easter_is_decided_by_the_end_of_the_tuesday() {
    // Thursday 28 March 2024; Good Friday 29 March and Easter Monday 1 April are bank
    // holidays, so 1 working day later is Tuesday 2 April, ending at midnight BST
    // (23:00 UTC).
    let mut t = timeline();
    t.entries = vec![entry(1, ChronologyKind::Referral, at(2024, 3, 28, 10))];
    let deadlines = derive(&t, &policy(), &calendar());
    let decision = deadlines
        .iter()
        .find(|d| d.kind == DeadlineKind::ReferralDecision)
        .expect("deadline");
    assert_eq!(decision.due_at, at(2024, 4, 2, 23));
    assert_eq!(decision.responsible_agency, Some(Uuid::from_u128(10)));
    assert_eq!(decision.status(at(2024, 4, 2, 22)), DeadlineStatus::Due);
    assert_eq!(decision.status(at(2024, 4, 2, 23)), DeadlineStatus::Overdue);
}

#[test]
fn a_decision_recorded_in_time_is_met_and_one_recorded_late_is_met_late() {
    let mut t = timeline();
    t.entries = vec![
        entry(1, ChronologyKind::Referral, at(2026, 11, 26, 10)),
        entry(2, ChronologyKind::ReferralDecision, at(2026, 11, 27, 16)),
    ];
    let d = derive(&t, &policy(), &calendar());
    let decision = d
        .iter()
        .find(|d| d.kind == DeadlineKind::ReferralDecision)
        .expect("deadline");
    // Thursday 26 November 2026 → end of Friday 27 November (GMT, so midnight UTC).
    assert_eq!(decision.due_at, at(2026, 11, 28, 0));
    assert_eq!(decision.status(at(2026, 12, 1, 0)), DeadlineStatus::Met);
    t.entries[1].occurred_at = at(2026, 11, 30, 9);
    let d = derive(&t, &policy(), &calendar());
    let decision = d
        .iter()
        .find(|d| d.kind == DeadlineKind::ReferralDecision)
        .expect("deadline");
    assert_eq!(decision.status(at(2026, 12, 1, 0)), DeadlineStatus::MetLate);
}

#[test]
fn a_strategy_discussion_is_due_24_hours_after_an_escalated_disclosure() {
    let mut t = timeline();
    t.escalations = vec![(Uuid::from_u128(5), at(2026, 12, 24, 15))];
    t.entries = vec![entry(
        1,
        ChronologyKind::StrategyDiscussion,
        at(2026, 12, 25, 14),
    )];
    let d = derive(&t, &policy(), &calendar());
    let sd = d
        .iter()
        .find(|d| d.kind == DeadlineKind::StrategyDiscussion)
        .expect("deadline");
    assert_eq!(
        sd.due_at,
        at(2026, 12, 25, 15),
        "clock hours: Christmas Day does not pause it"
    );
    assert_eq!(sd.status(at(2026, 12, 26, 0)), DeadlineStatus::Met);
}

#[test]
fn an_initial_conference_is_owed_only_on_a_child_protection_pathway() {
    let mut t = timeline();
    t.entries = vec![entry(
        1,
        ChronologyKind::StrategyDiscussion,
        at(2026, 12, 18, 10),
    )];
    assert!(
        derive(&t, &policy(), &calendar())
            .iter()
            .all(|d| d.kind != DeadlineKind::InitialCpConference)
    );
    t.plans = vec![PlanTimeline {
        id: Uuid::from_u128(7),
        pathway: Pathway::Both,
        lead_agency: Uuid::from_u128(10),
        activated_at: None,
        closed_at: None,
        reviews: vec![],
    }];
    let d = derive(&t, &policy(), &calendar());
    let icpc = d
        .iter()
        .find(|d| d.kind == DeadlineKind::InitialCpConference)
        .expect("deadline");
    // Friday 18 December 2026 + 15 working days, skipping Christmas Day (Fri 25), the
    // substitute Boxing Day (Mon 28) and New Year's Day (Fri 1 Jan 2027):
    // 21,22,23,24, 29,30,31, 4,5,6,7,8, 11,12,13 → Wednesday 13 January 2027.
    assert_eq!(icpc.due_at, at(2027, 1, 14, 0));
}

#[test]
fn plan_reviews_fall_due_three_months_after_activation_then_after_each_review() {
    let mut t = timeline();
    t.plans = vec![PlanTimeline {
        id: Uuid::from_u128(7),
        pathway: Pathway::ChildInNeed,
        lead_agency: Uuid::from_u128(12),
        activated_at: Some(at(2026, 1, 15, 10)),
        closed_at: None,
        reviews: vec![(day(2026, 4, 10), Some(day(2026, 7, 10)))],
    }];
    let reviews: Vec<_> = derive(&t, &policy(), &calendar())
        .into_iter()
        .filter(|d| d.kind == DeadlineKind::PlanReview)
        .collect();
    assert_eq!(reviews.len(), 2);
    assert_eq!(
        reviews[0].due_at,
        at(2026, 4, 15, 23),
        "end of 15 April (BST)"
    );
    assert_eq!(reviews[0].status(at(2026, 5, 1, 0)), DeadlineStatus::Met);
    assert_eq!(reviews[1].due_at, at(2026, 7, 10, 23));
    assert_eq!(
        reviews[1].status(at(2026, 7, 11, 0)),
        DeadlineStatus::Overdue
    );
    assert_eq!(reviews[1].responsible_agency, Some(Uuid::from_u128(12)));
    assert_ne!(reviews[0].id, reviews[1].id);
}

#[test]
fn disclosure_to_outcome_is_a_120_day_target_met_by_any_outcome() {
    let mut t = timeline();
    t.entries = vec![
        entry(1, ChronologyKind::Disclosure, at(2026, 1, 1, 12)),
        entry(2, ChronologyKind::NoFurtherAction, at(2026, 3, 1, 12)),
    ];
    let d = derive(&t, &policy(), &calendar());
    let target = d
        .iter()
        .find(|d| d.kind == DeadlineKind::DisclosureToOutcome)
        .expect("deadline");
    assert_eq!(target.due_at, at(2026, 5, 1, 12));
    assert_eq!(target.responsible_agency, Some(Uuid::from_u128(11)));
    assert_eq!(target.status(at(2026, 6, 1, 0)), DeadlineStatus::Met);
}

#[test]
fn transition_planning_is_due_at_seventeen_and_a_half_with_an_active_plan() {
    let mut t = timeline();
    t.date_of_birth = day(2009, 3, 10);
    assert!(
        derive(&t, &policy(), &calendar())
            .iter()
            .all(|d| d.kind != DeadlineKind::TransitionPlanning)
    );
    t.plans = vec![PlanTimeline {
        id: Uuid::from_u128(7),
        pathway: Pathway::CriminalJustice,
        lead_agency: Uuid::from_u128(12),
        activated_at: Some(at(2026, 1, 1, 9)),
        closed_at: None,
        reviews: vec![],
    }];
    let d = derive(&t, &policy(), &calendar());
    let transition = d
        .iter()
        .find(|d| d.kind == DeadlineKind::TransitionPlanning)
        .expect("deadline");
    assert_eq!(transition.started_at, at(2026, 3, 10, 0));
    assert_eq!(
        transition.due_at,
        at(2026, 9, 10, 23),
        "end of 10 September 2026, 17½"
    );
}

#[test]
fn ids_are_stable_across_derivations() {
    let mut t = timeline();
    t.entries = vec![entry(1, ChronologyKind::Referral, at(2026, 11, 26, 10))];
    let first = derive(&t, &policy(), &calendar());
    t.entries
        .push(entry(2, ChronologyKind::Note, at(2026, 11, 26, 11)));
    let second = derive(&t, &policy(), &calendar());
    assert_eq!(
        first.iter().map(|d| d.id).collect::<Vec<_>>(),
        second.iter().map(|d| d.id).collect::<Vec<_>>()
    );
}

fn rank(status: DeadlineStatus) -> u8 {
    match status {
        DeadlineStatus::Due => 0,
        DeadlineStatus::Overdue => 1,
        DeadlineStatus::Met | DeadlineStatus::MetLate => 2,
    }
}

proptest! {
    #[test]
    fn a_status_only_moves_forward_as_time_passes(
        start in 0i64..1000, length in 0i64..1000, met in proptest::option::of(0i64..3000),
        a in 0i64..4000, b in 0i64..4000
    ) {
        let base = at(2026, 1, 1, 0);
        let deadline = Deadline {
            id: Uuid::nil(), kind: DeadlineKind::ReferralDecision, child_id: Uuid::nil(), responsible_agency: None,
            started_at: base + Duration::hours(start),
            due_at: base + Duration::hours(start + length),
            met_at: met.map(|m| base + Duration::hours(m)),
        };
        let (early, late) = (base + Duration::hours(a.min(b)), base + Duration::hours(a.max(b)));
        let (before, after) = (deadline.status(early), deadline.status(late));
        prop_assert!(rank(before) <= rank(after), "{before:?} then {after:?}");
        // Once met, it stays met the same way; once overdue it can only become met late.
        if matches!(before, DeadlineStatus::Met | DeadlineStatus::MetLate) {
            prop_assert_eq!(before, after);
        }
        if before == DeadlineStatus::Overdue {
            prop_assert!(matches!(after, DeadlineStatus::Overdue | DeadlineStatus::MetLate));
        }
    }

    #[test]
    fn working_day_deadlines_end_after_a_working_day(days in 0u32..60, offset in 0i64..(365 * 24 * 6)) {
        let cal = calendar();
        let from = at(2024, 1, 1, 0) + Duration::hours(offset);
        let due = working_days_after(&cal, from, days);
        let last_day = london_day(due - Duration::seconds(1));
        prop_assert!(due > from);
        if days > 0 {
            prop_assert!(cal.is_working_day(last_day), "{last_day} is not a working day");
        }
    }
}

/// Any instant chrono can hold, extremes included.
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        Just(DateTime::<Utc>::MIN_UTC),
        Just(DateTime::<Utc>::MAX_UTC),
        (DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp())
            .prop_map(|secs| DateTime::from_timestamp(secs, 0).unwrap_or_default()),
    ]
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    any_instant().prop_map(|at| at.date_naive())
}

proptest! {
    /// Whatever a database row holds (a bad date written before the input bounds, or
    /// straight to the table), deriving deadlines and their status never panics.
    #[test]
    fn deriving_never_panics_on_extreme_stored_values(
        dob in any_day(),
        occurred in proptest::collection::vec(any_instant(), 0..4),
        disclosed in any_instant(),
        activated in any_instant(),
        held in any_day(),
        next in proptest::option::of(any_day()),
        now in any_instant(),
    ) {
        let policy = Policy::default_policy().deadlines;
        let kinds = [
            ChronologyKind::Referral,
            ChronologyKind::Disclosure,
            ChronologyKind::StrategyDiscussion,
            ChronologyKind::Outcome,
        ];
        let mut t = timeline();
        t.date_of_birth = dob;
        t.entries = occurred
            .iter()
            .enumerate()
            .map(|(i, at)| entry(i as u128 + 1, kinds[i % kinds.len()], *at))
            .collect();
        t.escalations = vec![(Uuid::from_u128(90), disclosed)];
        t.plans = vec![PlanTimeline {
            id: Uuid::from_u128(70),
            pathway: Pathway::Both,
            lead_agency: Uuid::from_u128(10),
            activated_at: Some(activated),
            closed_at: None,
            reviews: vec![(held, next)],
        }];
        for deadline in derive(&t, &policy, &calendar()) {
            let _ = deadline.status(now);
        }
    }
}

#[test]
fn every_kind_keeps_its_stored_name() {
    for kind in DeadlineKind::ALL {
        assert_eq!(DeadlineKind::from_name(kind.name()), Some(kind));
    }
    assert_eq!(DeadlineKind::from_name("NOT_A_KIND"), None);
}

#[test]
fn a_friday_disclosure_request_is_decided_by_the_end_of_the_tuesday_by_the_recording_agency() {
    // Friday 8 March 2024: two working days later is Tuesday 12 March, ending at
    // midnight GMT.
    let mut t = timeline();
    let recording = Uuid::from_u128(12);
    t.disclosures = vec![DisclosureTimeline {
        id: Uuid::from_u128(5),
        recording_agency: recording,
        requested_at: at(2024, 3, 8, 15),
        decided_at: None,
    }];
    let deadlines = derive(&t, &policy(), &calendar());
    let decision = deadlines
        .iter()
        .find(|d| d.kind == DeadlineKind::DisclosureDecision)
        .expect("deadline");
    assert_eq!(decision.due_at, at(2024, 3, 13, 0));
    assert_eq!(decision.responsible_agency, Some(recording));
    assert_eq!(decision.status(at(2024, 3, 13, 1)), DeadlineStatus::Overdue);
    t.disclosures[0].decided_at = Some(at(2024, 3, 11, 9));
    let met = derive(&t, &policy(), &calendar())
        .into_iter()
        .find(|d| d.kind == DeadlineKind::DisclosureDecision)
        .expect("deadline");
    assert_eq!(met.status(at(2024, 3, 13, 1)), DeadlineStatus::Met);
}

#[test]
fn a_closed_case_owes_no_deadline_that_is_not_met() {
    let mut t = timeline();
    t.entries = vec![
        entry(1, ChronologyKind::Referral, at(2026, 11, 2, 10)),
        entry(2, ChronologyKind::ReferralDecision, at(2026, 11, 2, 16)),
        entry(3, ChronologyKind::Disclosure, at(2026, 11, 3, 10)),
    ];
    let open = derive(&t, &policy(), &calendar());
    assert!(open.iter().any(|d| d.met_at.is_none()));
    t.entries
        .push(entry(4, ChronologyKind::CaseClosed, at(2026, 11, 20, 10)));
    t.closed = true;
    let closed = derive(&t, &policy(), &calendar());
    assert!(!closed.is_empty(), "met deadlines stay on the record");
    assert!(closed.iter().all(|d| d.met_at.is_some()));
    assert!(
        closed
            .iter()
            .any(|d| d.kind == DeadlineKind::ReferralDecision)
    );
}

#[test]
fn a_reopened_case_starts_new_clocks_and_keeps_the_old_ones_stopped() {
    let mut t = timeline();
    t.entries = vec![
        entry(1, ChronologyKind::Referral, at(2026, 10, 1, 10)),
        entry(2, ChronologyKind::CaseClosed, at(2026, 10, 20, 10)),
        entry(3, ChronologyKind::CaseReopened, at(2026, 11, 20, 10)),
        entry(4, ChronologyKind::Referral, at(2026, 11, 20, 10)),
    ];
    let d = derive(&t, &policy(), &calendar());
    let open: Vec<_> = d.iter().filter(|d| d.met_at.is_none()).collect();
    assert!(!open.is_empty());
    assert!(
        open.iter().all(|d| d.started_at == at(2026, 11, 20, 10)),
        "only the new referral's clocks run: {open:?}"
    );
}
