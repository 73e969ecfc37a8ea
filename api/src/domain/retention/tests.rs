//! The record classes and retention days, as pure functions of a record's facts.

use chrono::TimeZone as _;

use super::*;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn facts() -> RetentionFacts {
    RetentionFacts {
        looked_after: false,
        date_of_birth: day(2012, 3, 4),
        registered_at: at(2026, 1, 10),
        chronology: vec![(ChronologyKind::Referral, at(2026, 1, 10))],
        disclosures: vec![at(2026, 1, 9)],
        plans: vec![],
        welfare_involved: true,
    }
}

fn policy() -> RetentionPolicy {
    RetentionPolicy::default()
}

#[test]
fn a_record_with_nothing_special_is_a_case_record_kept_35_years_after_last_contact() {
    let mut f = facts();
    f.chronology
        .push((ChronologyKind::CaseClosed, at(2027, 6, 30)));
    let r = retention(&f, &policy());
    assert_eq!(r.class, RecordClass::CaseRecord);
    assert_eq!(r.retain_until, day(2062, 6, 30));
    assert_eq!(r.rule, "CASE_RECORD: 35 years after last contact");
}

#[test]
fn a_looked_after_child_is_kept_75_years_after_birth_whatever_else_the_record_holds() {
    let mut f = facts();
    f.looked_after = true;
    f.plans
        .push((Pathway::ChildProtection, Some(at(2027, 1, 1))));
    f.chronology
        .push((ChronologyKind::OutOfCourtDisposal, at(2026, 2, 1)));
    let r = retention(&f, &policy());
    assert_eq!(r.class, RecordClass::LookedAfter);
    assert_eq!(r.retain_until, day(2087, 3, 4));
    assert_eq!(r.rule, "LOOKED_AFTER: 75 years after date of birth");
}

#[test]
fn a_child_protection_plan_section_47_or_conference_makes_a_child_protection_record() {
    for (plans, entry) in [
        (vec![(Pathway::ChildProtection, None)], None),
        (vec![(Pathway::Both, Some(at(2026, 8, 1)))], None),
        (vec![], Some(ChronologyKind::Section47Started)),
        (vec![], Some(ChronologyKind::InitialCpConference)),
    ] {
        let mut f = facts();
        f.plans = plans;
        if let Some(kind) = entry {
            f.chronology.push((kind, at(2026, 3, 1)));
        }
        // An out-of-court disposal does not lower a child protection record's class.
        f.chronology
            .push((ChronologyKind::OutOfCourtDisposal, at(2026, 2, 1)));
        let r = retention(&f, &policy());
        assert_eq!(r.class, RecordClass::ChildProtection, "{f:?}");
        assert_eq!(r.rule, "CHILD_PROTECTION: 35 years after last contact");
    }
    let mut f = facts();
    f.plans = vec![
        (Pathway::CriminalJustice, None),
        (Pathway::ChildInNeed, None),
    ];
    assert_eq!(classify(&f, &policy()), RecordClass::CaseRecord);
}

#[test]
fn an_out_of_court_disposal_alone_is_youth_justice_kept_3_years() {
    // A record only justice agencies held.
    let mut f = RetentionFacts {
        welfare_involved: false,
        ..facts()
    };
    f.chronology
        .push((ChronologyKind::OutOfCourtDisposal, at(2026, 2, 1)));
    f.chronology
        .push((ChronologyKind::CaseClosed, at(2026, 4, 15)));
    let r = retention(&f, &policy());
    assert_eq!(r.class, RecordClass::YouthJusticeOutOfCourt);
    assert_eq!(r.retain_until, day(2029, 4, 15));
    assert_eq!(
        r.rule,
        "YOUTH_JUSTICE_OUT_OF_COURT: 3 years after last contact"
    );
    for other in [
        ChronologyKind::Outcome,
        ChronologyKind::FirstCourtHearing,
        ChronologyKind::Charge,
    ] {
        let mut with_other = f.clone();
        with_other.chronology.push((other, at(2026, 3, 1)));
        assert_eq!(
            classify(&with_other, &policy()),
            RecordClass::CaseRecord,
            "{other:?}"
        );
    }
}

#[test]
fn no_entry_shortens_a_record_a_welfare_agency_worked_on() {
    // The school records an out-of-court disposal on a record social care worked on:
    // the record stays a case record, kept 35 years, not 3.
    let mut f = facts();
    f.chronology
        .push((ChronologyKind::OutOfCourtDisposal, at(2026, 2, 1)));
    f.chronology
        .push((ChronologyKind::CaseClosed, at(2026, 4, 15)));
    let r = retention(&f, &policy());
    assert_eq!(r.class, RecordClass::CaseRecord);
    assert_eq!(r.retain_until, day(2061, 4, 15));
    assert_eq!(
        classes(&f),
        vec![RecordClass::YouthJusticeOutOfCourt, RecordClass::CaseRecord]
    );
    // A looked-after child is kept for the longest of its classes.
    let young = RetentionFacts {
        looked_after: true,
        date_of_birth: day(2025, 1, 1),
        ..f.clone()
    };
    assert_eq!(retention(&young, &policy()).class, RecordClass::LookedAfter);
}

#[test]
fn last_contact_is_the_latest_entry_disclosure_or_plan_closure() {
    let mut f = facts();
    assert_eq!(last_contact(&f), at(2026, 1, 10));
    f.disclosures.push(at(2026, 5, 1));
    assert_eq!(last_contact(&f), at(2026, 5, 1));
    f.plans.push((Pathway::EarlyHelp, Some(at(2026, 9, 1))));
    f.plans.push((Pathway::EarlyHelp, None));
    assert_eq!(last_contact(&f), at(2026, 9, 1));
    f.chronology
        .push((ChronologyKind::CaseClosed, at(2026, 10, 2)));
    assert_eq!(last_contact(&f), at(2026, 10, 2));
    let empty = RetentionFacts {
        chronology: vec![],
        disclosures: vec![],
        ..facts()
    };
    assert_eq!(last_contact(&empty), at(2026, 1, 10), "the registration");
}

#[test]
fn the_schedule_comes_from_the_policy() {
    let mut f = RetentionFacts {
        welfare_involved: false,
        ..facts()
    };
    f.chronology
        .push((ChronologyKind::OutOfCourtDisposal, at(2026, 2, 29 - 1)));
    let short = RetentionPolicy {
        youth_justice_out_of_court_years_after_last_contact: 1,
        ..policy()
    };
    let r = retention(&f, &short);
    assert_eq!(r.retain_until, day(2027, 2, 28));
    assert_eq!(
        r.rule,
        "YOUTH_JUSTICE_OUT_OF_COURT: 1 year after last contact"
    );
}

#[test]
fn a_leap_day_anniversary_falls_on_1_march_never_earlier() {
    let mut f = facts();
    f.chronology = vec![(ChronologyKind::CaseClosed, at(2028, 2, 29))];
    f.disclosures = vec![];
    assert_eq!(retention(&f, &policy()).retain_until, day(2063, 3, 1));
}

#[test]
fn only_a_closed_case_past_its_day_is_due() {
    let r = Retention {
        class: RecordClass::CaseRecord,
        retain_until: day(2030, 1, 1),
        rule: String::new(),
    };
    assert!(!is_due(ChildStatus::Closed, &r, day(2030, 1, 1)));
    assert!(is_due(ChildStatus::Closed, &r, day(2030, 1, 2)));
    assert!(!is_due(ChildStatus::Open, &r, day(2099, 1, 1)));
}
