//! Unit tests of the access rules.
use std::collections::BTreeSet;

use chrono::Duration;
use entity::enums::Sensitivity;

use super::*;

fn actor(roles: &[Role]) -> Actor {
    Actor {
        subject: "sub-1".into(),
        name: "Test".into(),
        agency_id: Uuid::from_u128(1),
        agency_code: "a".into(),
        agency_kind: AgencyKind::Education,
        roles: roles.iter().copied().collect::<BTreeSet<_>>(),
        expires_at: Utc::now() + Duration::hours(1),
    }
}

#[test]
fn a_practitioner_reads_a_child_only_while_their_agency_is_involved() {
    let now = Utc::now();
    let me = actor(&[Role::Practitioner]);
    let involved = ChildFacts {
        active_agencies: vec![me.agency_id],
        grants: vec![],
    };
    let other = ChildFacts {
        active_agencies: vec![Uuid::from_u128(2)],
        grants: vec![],
    };
    assert!(can_read_child(&me, &involved, now));
    assert!(!can_read_child(&me, &other, now));
}

#[test]
fn non_case_roles_never_read_a_child_even_when_their_agency_is_involved() {
    let now = Utc::now();
    for role in [Role::StrategicAnalyst, Role::Auditor, Role::SystemAdmin] {
        let me = actor(&[role]);
        let facts = ChildFacts {
            active_agencies: vec![me.agency_id],
            grants: vec![],
        };
        assert!(!can_read_child(&me, &facts, now), "{role:?}");
    }
}

#[test]
fn a_grant_lets_its_holder_read_until_it_expires() {
    let now = Utc::now();
    let me = actor(&[Role::Practitioner]);
    let facts = |expires| ChildFacts {
        active_agencies: vec![],
        grants: vec![(me.subject.clone(), me.agency_id, expires)],
    };
    assert!(can_read_child(&me, &facts(now + Duration::hours(1)), now));
    assert!(!can_read_child(
        &me,
        &facts(now - Duration::seconds(1)),
        now
    ));
    let colleague = Actor {
        subject: "sub-2".into(),
        ..me.clone()
    };
    assert!(!can_read_child(
        &colleague,
        &facts(now + Duration::hours(1)),
        now
    ));
}

struct Entry(Sensitivity, Uuid, Vec<Uuid>);

impl RestrictedContent for Entry {
    fn sensitivity(&self) -> Sensitivity {
        self.0
    }
    fn recording_agency(&self) -> Uuid {
        self.1
    }
    fn shared_with(&self) -> &[Uuid] {
        &self.2
    }
}

#[test]
fn restricted_content_is_for_recorder_shared_and_lead_only() {
    let me = actor(&[Role::Practitioner]);
    let other = Uuid::from_u128(9);
    assert!(can_read_content(
        &me,
        &Entry(Sensitivity::Standard, other, vec![]),
        None
    ));
    assert!(!can_read_content(
        &me,
        &Entry(Sensitivity::Restricted, other, vec![]),
        Some(other)
    ));
    assert!(can_read_content(
        &me,
        &Entry(Sensitivity::Restricted, me.agency_id, vec![]),
        None
    ));
    assert!(can_read_content(
        &me,
        &Entry(Sensitivity::Restricted, other, vec![me.agency_id]),
        None
    ));
    assert!(can_read_content(
        &me,
        &Entry(Sensitivity::Restricted, other, vec![]),
        Some(me.agency_id)
    ));
}

#[test]
fn an_agency_lead_adds_only_their_own_agency() {
    let me = actor(&[Role::AgencyLead]);
    let facts = ChildFacts {
        active_agencies: vec![me.agency_id],
        grants: vec![],
    };
    assert!(ensure_can_add_involvement(&me, &facts, me.agency_id).is_ok());
    assert!(matches!(
        ensure_can_add_involvement(&me, &facts, Uuid::from_u128(5)),
        Err(ApiError::Forbidden(_))
    ));
    let coordinator = actor(&[Role::Coordinator]);
    assert!(ensure_can_add_involvement(&coordinator, &facts, Uuid::from_u128(5)).is_ok());
}

#[test]
fn consultation_runs_across_sectors() {
    assert_eq!(
        sector_to_consult(ActionKind::ChargingDecision),
        Some(Sector::Welfare)
    );
    assert_eq!(
        sector_to_consult(ActionKind::PoliceInvestigationStep),
        Some(Sector::Welfare)
    );
    assert_eq!(
        sector_to_consult(ActionKind::CourtProceeding),
        Some(Sector::Welfare)
    );
    assert_eq!(
        sector_to_consult(ActionKind::PlacementChange),
        Some(Sector::Justice)
    );
    assert_eq!(
        sector_to_consult(ActionKind::EducationChange),
        Some(Sector::Justice)
    );
    assert_eq!(sector_to_consult(ActionKind::Assessment), None);
}

#[test]
fn actions_are_handled_by_their_agency_or_the_lead_coordinator() {
    let me = actor(&[Role::Practitioner]);
    let lead = Uuid::from_u128(7);
    let plan = PlanFacts {
        lead_agency: lead,
        members: vec![lead, me.agency_id],
    };
    assert!(ensure_can_handle_action(&me, &plan, me.agency_id).is_ok());
    assert!(ensure_can_handle_action(&me, &plan, lead).is_err());
    let coordinator = Actor {
        agency_id: lead,
        ..actor(&[Role::Coordinator])
    };
    assert!(ensure_can_handle_action(&coordinator, &plan, me.agency_id).is_ok());
    let outsider = Actor {
        agency_id: Uuid::from_u128(8),
        ..actor(&[Role::Coordinator])
    };
    assert!(ensure_can_handle_action(&outsider, &plan, outsider.agency_id).is_err());
}

#[test]
fn events_reach_plan_members_their_audience_and_the_case_team_only() {
    let me = actor(&[Role::Practitioner]);
    let (plan, other_plan, child) = (
        Uuid::from_u128(20),
        Uuid::from_u128(21),
        Uuid::from_u128(30),
    );
    let reach = Reach {
        plans: [plan].into(),
        children: [child].into(),
    };
    assert!(can_receive_event(&me, &reach, Some(plan), Some(child), &[]));
    assert!(
        !can_receive_event(&me, &reach, Some(other_plan), Some(child), &[]),
        "another plan of a child we are on"
    );
    assert!(
        can_receive_event(&me, &reach, Some(other_plan), None, &[me.agency_id]),
        "addressed to us"
    );
    assert!(
        can_receive_event(&me, &reach, None, Some(child), &[]),
        "about a child we are on"
    );
    assert!(!can_receive_event(
        &me,
        &reach,
        None,
        Some(Uuid::from_u128(31)),
        &[]
    ));
    let analyst = actor(&[Role::StrategicAnalyst]);
    assert!(!can_receive_event(
        &analyst,
        &reach,
        Some(plan),
        None,
        &[analyst.agency_id]
    ));
}

#[test]
fn sectors_follow_the_design() {
    assert_eq!(sector(AgencyKind::Police), Sector::Justice);
    assert_eq!(sector(AgencyKind::YouthJustice), Sector::Justice);
    assert_eq!(sector(AgencyKind::SecureEstate), Sector::Justice);
    assert_eq!(sector(AgencyKind::Camhs), Sector::Welfare);
    assert_eq!(sector(AgencyKind::ChildrensSocialCare), Sector::Welfare);
}

#[test]
fn the_lead_agency_is_the_active_lead_involvement_only() {
    let now = Utc::now();
    let involvement = |agency: u128, role: InvolvementRole, ended: bool| involvements::Model {
        id: Uuid::now_v7(),
        child_id: Uuid::from_u128(40),
        agency_id: Uuid::from_u128(agency),
        role,
        lead_practitioner: None,
        started_on: now.date_naive(),
        ended_on: ended.then(|| now.date_naive()),
        reason: None,
        end_reason: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let team = vec![
        involvement(1, InvolvementRole::Lead, true),
        involvement(2, InvolvementRole::Partner, false),
        involvement(3, InvolvementRole::Lead, false),
    ];
    assert_eq!(lead_agency(&team), Some(Uuid::from_u128(3)));
    assert!(!lead_is_free(&team));
    assert_eq!(lead_agency(&team[..2]), None, "an ended lead leads nothing");
    assert!(lead_is_free(&team[..2]));
}

#[test]
fn only_a_system_admin_manages_agencies_and_their_lifecycle() {
    assert!(ensure_can_manage_agencies(&actor(&[Role::SystemAdmin])).is_ok());
    for role in Role::ALL.into_iter().filter(|r| *r != Role::SystemAdmin) {
        assert!(
            matches!(
                ensure_can_manage_agencies(&actor(&[role])),
                Err(ApiError::Forbidden(_))
            ),
            "{role:?}"
        );
    }
}
