//! The role × action matrix published in `docs/access.md`, checked cell by cell against
//! the policy functions, so the documentation cannot drift from the code.
//!
//! Each row of the published table names an action and the place the caller's agency
//! must be in for it; here each key sets up exactly that place and asks the policy.
use std::collections::BTreeSet;

use chrono::{Duration, Utc};

use super::*;

const MINE: Uuid = Uuid::from_u128(1);
const OTHER: Uuid = Uuid::from_u128(2);

fn actor(role: Role) -> Actor {
    Actor {
        subject: "matrix".into(),
        name: "Matrix".into(),
        agency_id: MINE,
        agency_code: "matrix".into(),
        agency_kind: AgencyKind::ChildrensSocialCare,
        roles: BTreeSet::from([role]),
        expires_at: Utc::now() + Duration::hours(1),
    }
}

/// The case team with the caller's agency on it (and one other agency).
fn on_team() -> ChildFacts {
    ChildFacts {
        active_agencies: vec![MINE, OTHER],
        grants: vec![],
    }
}

/// A plan the caller's agency leads and is a member of, with one other member.
fn led_plan() -> PlanFacts {
    PlanFacts {
        lead_agency: MINE,
        members: vec![MINE, OTHER],
    }
}

/// A plan another agency leads, with the caller's agency as a member.
fn member_plan() -> PlanFacts {
    PlanFacts {
        lead_agency: OTHER,
        members: vec![OTHER, MINE],
    }
}

/// What the policy decides for one cell of the published matrix; `None` for a key
/// this test does not know.
fn decide(key: &str, me: &Actor) -> Option<bool> {
    let now = Utc::now();
    let ok = |result: ApiResult<()>| result.is_ok();
    let reach = Reach {
        plans: [Uuid::from_u128(9)].into(),
        children: Default::default(),
    };
    Some(match key {
        "read-child" => can_read_child(me, &on_team(), now),
        "list-children" => ok(ensure_can_list_children(me)),
        "find-known-child" | "refer-child" | "list-consultations" => ok(ensure_case_role(me)),
        "decide-referral" => ok(ensure_can_decide_referral(me, &on_team(), Some(MINE))),
        "register-child" => ok(ensure_can_register_child(me)),
        "add-own-involvement" => ok(ensure_can_add_involvement(me, &on_team(), MINE)),
        "add-other-involvement" => ok(ensure_can_add_involvement(me, &on_team(), OTHER)),
        "end-own-involvement" => {
            ok(ensure_can_end_involvement(me, &on_team(), MINE))
                && ok(ensure_can_amend_involvement(
                    me,
                    &on_team(),
                    MINE,
                    Some(OTHER),
                ))
        }
        "end-other-involvement" => {
            ok(ensure_can_end_involvement(me, &on_team(), OTHER))
                && ok(ensure_can_amend_involvement(
                    me,
                    &on_team(),
                    OTHER,
                    Some(MINE),
                ))
        }
        "record-on-case" => ok(ensure_can_work_case(me, &on_team())),
        "create-plan" => ok(ensure_can_create_plan(me, &on_team())),
        "run-plan" => ok(ensure_can_run_plan(me, &led_plan())),
        "handle-own-action" => ok(ensure_can_handle_action(me, &member_plan(), MINE)),
        "handle-other-action" => ok(ensure_can_handle_action(me, &led_plan(), OTHER)),
        "answer-consultation" => ok(ensure_can_answer_consultation(me, MINE)),
        "override-consultation" => ok(ensure_can_override(me, &led_plan())),
        "request-disclosure" => ok(ensure_can_request_disclosure(me, &on_team())),
        "list-disclosure-requests" => {
            ok(ensure_case_role(me)) && can_see_disclosure_request(me, OTHER, MINE)
        }
        "decide-disclosure" => ok(ensure_can_decide_disclosure(me, MINE)),
        "emergency-access" => {
            let off_team = ChildFacts {
                active_agencies: vec![OTHER],
                grants: vec![],
            };
            ok(ensure_can_request_emergency_access(me, &off_team))
        }
        "late-reason-own" => ok(ensure_can_explain_deadline(
            me,
            &on_team(),
            Some(MINE),
            Some(OTHER),
        )),
        "late-reason-lead" => ok(ensure_can_explain_deadline(
            me,
            &on_team(),
            Some(OTHER),
            Some(MINE),
        )),
        "subscribe" => {
            ok(ensure_case_role(me))
                && can_receive_event(me, &reach, Some(Uuid::from_u128(9)), None, &[])
        }
        "strategic-report" => ok(ensure_analyst(me)),
        "audit-log" => ok(ensure_auditor(me)),
        "manage-agencies" => ok(ensure_can_manage_agencies(me)),
        "close-case" => ok(ensure_can_close_case(me, &on_team(), Some(MINE))),
        "start-assessment" => ok(ensure_can_start_assessment(me, &on_team(), Some(MINE))),
        "run-assessment" => ok(ensure_can_run_assessment(me, &on_team(), MINE)),
        "contribute-assessment" => {
            ok(ensure_case_role(me)) && ok(ensure_can_contribute(me, &on_team(), MINE))
        }
        "update-child" => ok(ensure_can_update_child(me, &on_team(), Some(MINE))),
        "amend-own-entry" => ok(ensure_can_amend_entry(me, &on_team(), MINE)),
        "amend-own-referral" => ok(ensure_can_amend_referral(me, MINE)),
        "legal-hold" => ok(ensure_can_manage_legal_holds(me)),
        "export-child-record" => ok(ensure_can_export(me)),
        _ => return None,
    })
}

/// Every key `decide` knows: each must appear in the published table.
const KEYS: [&str; 37] = [
    "read-child",
    "list-children",
    "find-known-child",
    "refer-child",
    "decide-referral",
    "register-child",
    "add-own-involvement",
    "add-other-involvement",
    "end-own-involvement",
    "end-other-involvement",
    "record-on-case",
    "create-plan",
    "run-plan",
    "handle-own-action",
    "handle-other-action",
    "list-consultations",
    "answer-consultation",
    "override-consultation",
    "request-disclosure",
    "list-disclosure-requests",
    "decide-disclosure",
    "emergency-access",
    "late-reason-own",
    "late-reason-lead",
    "subscribe",
    "strategic-report",
    "audit-log",
    "manage-agencies",
    "close-case",
    "start-assessment",
    "run-assessment",
    "contribute-assessment",
    "update-child",
    "amend-own-entry",
    "amend-own-referral",
    "legal-hold",
    "export-child-record",
];

/// The published table: its header's role names and, per row, the key and its cells.
fn published() -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/access.md");
    let text = std::fs::read_to_string(path).expect("docs/access.md");
    let start = text
        .find("<!-- access-matrix:start -->")
        .expect("start marker");
    let end = text.find("<!-- access-matrix:end -->").expect("end marker");
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|cell| cell.trim().trim_matches('`').to_string())
            .collect()
    };
    let mut lines = text[start..end].lines().filter(|l| l.starts_with('|'));
    let header = cells(lines.next().expect("header row"));
    assert_eq!(header[..2], ["key".to_string(), "action".to_string()]);
    let rows = lines
        .filter(|l| !l.starts_with("|---"))
        .map(|l| {
            let row = cells(l);
            (row[0].clone(), row[2..].to_vec())
        })
        .collect();
    (header[2..].to_vec(), rows)
}

#[test]
fn the_published_access_matrix_is_what_the_policy_decides() {
    let (roles, rows) = published();
    let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
    assert_eq!(roles, names, "one column per role, in order");
    let mut seen = BTreeSet::new();
    for (key, cells) in &rows {
        assert!(seen.insert(key.clone()), "{key} appears twice");
        assert_eq!(cells.len(), Role::ALL.len(), "{key}: one cell per role");
        for (role, cell) in Role::ALL.iter().zip(cells) {
            let documented = match cell.as_str() {
                "yes" => true,
                "no" => false,
                other => panic!(
                    "{key}/{}: cell {other:?} is neither yes nor no",
                    role.name()
                ),
            };
            let decided = decide(key, &actor(*role))
                .unwrap_or_else(|| panic!("{key}: no policy check for this row"));
            assert_eq!(
                documented,
                decided,
                "docs/access.md says {key} is {cell} for {}, the policy disagrees",
                role.name()
            );
        }
    }
    for key in KEYS {
        assert!(seen.contains(key), "{key} is missing from docs/access.md");
    }
    assert_eq!(rows.len(), KEYS.len());
}

#[test]
fn no_role_may_act_from_outside_the_place_a_row_names() {
    // The cells hold only in the place each row names: off the case team, or outside
    // the plan, every case role is refused.
    let off_team = ChildFacts {
        active_agencies: vec![OTHER],
        grants: vec![],
    };
    let foreign_plan = PlanFacts {
        lead_agency: OTHER,
        members: vec![OTHER],
    };
    for role in Role::ALL {
        let me = actor(role);
        assert!(!can_read_child(&me, &off_team, Utc::now()));
        assert!(ensure_can_work_case(&me, &off_team).is_err());
        assert!(ensure_can_create_plan(&me, &off_team).is_err());
        assert!(ensure_can_run_plan(&me, &foreign_plan).is_err());
        assert!(ensure_can_handle_action(&me, &foreign_plan, MINE).is_err());
        assert!(ensure_can_answer_consultation(&me, OTHER).is_err());
        assert!(ensure_can_amend_referral(&me, OTHER).is_err());
    }
}
