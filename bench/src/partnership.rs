//! Builds a synthetic partnership in memory, row by row, keeping every invariant of the
//! schema: one active `LEAD` per child, plan members on the case team, consultations where
//! the consultation rule asks for them, escalations with the designated agencies brought
//! in, timestamps in order. Only facts are built: deadlines are derived (or, once stored,
//! rebuilt by the server at start-up) from the chronology, behaviours, plans and reviews.

use std::collections::BTreeSet;

use api::domain::classification::{escalates, needs_rationale, suggested_traffic_light};
use api::domain::consultation_rule::agencies_to_consult;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::enums::*;
use entity::{
    access_grants, affected_children, agencies, behaviours, children, chronology_entries,
    consultations, involvements, joint_plans, plan_actions, plan_members, plan_reviews,
};
use rand::Rng;
use rand::rngs::StdRng;
use uuid::Uuid;

use crate::fake::{self, FAMILY_NAMES, GIVEN_NAMES, NhsNumbers, pick};

/// How big a partnership to build.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    /// Agencies (at least 4).
    pub agencies: usize,
    /// Children.
    pub children: usize,
    /// Behaviours, spread over the children.
    pub behaviours: usize,
    /// Chronology entries, spread over the children.
    pub chronology: usize,
    /// Joint plans, one per child at most.
    pub plans: usize,
    /// Actions per plan.
    pub actions_per_plan: usize,
    /// Audit events of past activity.
    pub audit_events: usize,
    /// Children of the busiest agency with exactly 100 chronology entries.
    pub heavy_children: usize,
}

/// The codes every generated partnership uses for its designated agencies.
pub const DESIGNATED_SOCIAL_CARE: &str = "bench-csc-01";
/// The designated police.
pub const DESIGNATED_POLICE: &str = "bench-police-01";

/// Entries of a "heavy" child's chronology.
pub const HEAVY_CHRONOLOGY: usize = 100;

/// Every row of the partnership but the audit log, which is streamed (see `audit`).
#[derive(Default)]
pub struct Partnership {
    pub agencies: Vec<agencies::Model>,
    pub children: Vec<children::Model>,
    pub involvements: Vec<involvements::Model>,
    pub behaviours: Vec<behaviours::Model>,
    pub affected: Vec<affected_children::Model>,
    pub chronology: Vec<chronology_entries::Model>,
    pub plans: Vec<joint_plans::Model>,
    pub members: Vec<plan_members::Model>,
    pub actions: Vec<plan_actions::Model>,
    pub consultations: Vec<consultations::Model>,
    pub reviews: Vec<plan_reviews::Model>,
    pub grants: Vec<access_grants::Model>,
    /// For each child, the agency indexes of its active case team (lead first).
    pub teams: Vec<Vec<usize>>,
    /// For each child, how many of `teams` were on the case team from registration (the
    /// rest joined on escalation).
    pub founding: Vec<usize>,
    /// Children with [`HEAVY_CHRONOLOGY`] entries.
    pub heavy: Vec<Uuid>,
}

/// A time-ordered id (UUID v7) for a row created at `at`, as the service makes them.
pub fn id_at(at: DateTime<Utc>) -> Uuid {
    let secs = u64::try_from(at.timestamp()).unwrap_or_default();
    Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        secs,
        at.timestamp_subsec_nanos(),
    ))
}

fn between(rng: &mut StdRng, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
    let span = (to - from).num_seconds().max(1);
    from + Duration::seconds(rng.random_range(0..span))
}

fn kind_of(index: usize) -> AgencyKind {
    const OTHERS: [AgencyKind; 11] = [
        AgencyKind::Education,
        AgencyKind::Health,
        AgencyKind::ChildrensSocialCare,
        AgencyKind::YouthJustice,
        AgencyKind::Camhs,
        AgencyKind::Police,
        AgencyKind::EarlyHelp,
        AgencyKind::SpecialistHsbService,
        AgencyKind::EducationalPsychology,
        AgencyKind::SecureEstate,
        AgencyKind::Other,
    ];
    match index {
        0 => AgencyKind::ChildrensSocialCare,
        1 => AgencyKind::Police,
        n => OTHERS[(n - 2) % OTHERS.len()],
    }
}

fn short(kind: AgencyKind) -> &'static str {
    match kind {
        AgencyKind::ChildrensSocialCare => "csc",
        AgencyKind::Police => "police",
        AgencyKind::YouthJustice => "yjs",
        AgencyKind::Education => "school",
        AgencyKind::EducationalPsychology => "edpsych",
        AgencyKind::Health => "health",
        AgencyKind::Camhs => "camhs",
        AgencyKind::SecureEstate => "secure",
        AgencyKind::EarlyHelp => "earlyhelp",
        AgencyKind::SpecialistHsbService => "hsb",
        AgencyKind::Other => "other",
    }
}

/// The subject of the generated practitioner `n` of an agency.
pub fn practitioner(code: &str, n: usize) -> String {
    format!("bench-{code}-practitioner-{n}")
}

impl Partnership {
    /// Builds everything but the audit log.
    pub fn build(scale: &Scale, rng: &mut StdRng, now: DateTime<Utc>) -> Self {
        let mut p = Partnership::default();
        p.build_agencies(scale, now);
        p.build_children(scale, rng, now);
        p.build_behaviours(scale, rng, now);
        p.build_chronology(scale, rng, now);
        p.build_plans(scale, rng, now);
        p.build_grants(rng, now);
        p
    }

    fn build_agencies(&mut self, scale: &Scale, now: DateTime<Utc>) {
        let created = now - Duration::days(800);
        let mut seen = std::collections::HashMap::<AgencyKind, usize>::new();
        for index in 0..scale.agencies.max(4) {
            let kind = kind_of(index);
            let n = seen.entry(kind).or_default();
            *n += 1;
            let code = format!("bench-{}-{:02}", short(kind), n);
            self.agencies.push(agencies::Model {
                id: id_at(created + Duration::seconds(index as i64)),
                name: format!("Example {} {:02} (benchmark)", short(kind), n),
                code,
                kind,
                active: true,
                version: 1,
                created_at: created,
                updated_at: created,
            });
        }
    }

    fn code(&self, agency: usize) -> &str {
        &self.agencies[agency].code
    }

    fn build_children(&mut self, scale: &Scale, rng: &mut StdRng, now: DateTime<Utc>) {
        let mut nhs = NhsNumbers::new();
        // Children led by someone other than the busiest agency are led by the other
        // social care and early help agencies.
        let lead_pool: Vec<usize> = (2..self.agencies.len())
            .filter(|i| {
                matches!(
                    self.agencies[*i].kind,
                    AgencyKind::ChildrensSocialCare | AgencyKind::EarlyHelp
                )
            })
            .collect();
        let mut created: Vec<DateTime<Utc>> = (0..scale.children)
            .map(|_| between(rng, now - Duration::days(730), now - Duration::days(45)))
            .collect();
        created.sort();
        for (i, created_at) in created.into_iter().enumerate() {
            let given = *pick(rng, &GIVEN_NAMES);
            let family = *pick(rng, &FAMILY_NAMES);
            let dob = NaiveDate::from_ymd_opt(2009, 1, 1).unwrap_or_default()
                + Duration::days(rng.random_range(0..3600));
            let id = id_at(created_at);
            self.children.push(children::Model {
                id,
                given_name: given.to_owned(),
                family_name: family.to_owned(),
                date_of_birth: dob,
                gender: pick(rng, &["Female", "Male", "Not stated"]).to_string(),
                match_key: api::domain::children::match_key(family, given, dob),
                nhs_number: rng.random_bool(0.8).then(|| nhs.next_number()),
                unique_pupil_number: None,
                local_authority_ref: Some(format!("BENCH-LA-{i:06}")),
                police_ref: rng.random_bool(0.3).then(|| format!("BENCH-PN-{i:06}")),
                send: rng.random_bool(0.2),
                looked_after: rng.random_bool(0.1),
                // No operation closes a child's record yet.
                status: ChildStatus::Open,
                version: 1,
                created_at,
                updated_at: created_at,
            });
            let lead = if i % 2 == 0 || lead_pool.is_empty() {
                0
            } else {
                *pick(rng, &lead_pool)
            };
            let mut team = vec![lead];
            if lead == 0 && rng.random_bool(0.4) {
                team.push(1);
            }
            let partners = rng.random_range(1..=3);
            while team.len() < partners + 1 {
                let other = rng.random_range(1..self.agencies.len());
                if !team.contains(&other) && other != 0 {
                    team.push(other);
                }
            }
            let started = created_at.date_naive();
            for (n, agency) in team.iter().enumerate() {
                let role = if n == 0 {
                    InvolvementRole::Lead
                } else {
                    InvolvementRole::Partner
                };
                self.push_involvement(id, *agency, role, created_at, None);
            }
            // A past partner, ended, for a few children: history the scoping must ignore.
            if rng.random_bool(0.05) {
                let other = rng.random_range(1..self.agencies.len());
                if !team.contains(&other) {
                    let ended = started + Duration::days(rng.random_range(1..30));
                    self.push_involvement(
                        id,
                        other,
                        InvolvementRole::Partner,
                        created_at,
                        Some(ended.min(now.date_naive())),
                    );
                }
            }
            self.founding.push(team.len());
            self.teams.push(team);
        }
    }

    /// The agencies on a child's case team since its registration.
    fn founding_team(&self, child: usize) -> Vec<usize> {
        self.teams[child][..self.founding[child]].to_vec()
    }

    fn push_involvement(
        &mut self,
        child: Uuid,
        agency: usize,
        role: InvolvementRole,
        at: DateTime<Utc>,
        ended_on: Option<NaiveDate>,
    ) {
        let code = self.code(agency).to_owned();
        self.involvements.push(involvements::Model {
            id: id_at(at),
            child_id: child,
            agency_id: self.agencies[agency].id,
            role,
            lead_practitioner: Some(practitioner(&code, 1)),
            started_on: at.date_naive(),
            ended_on,
            reason: Some("Benchmark case team".into()),
            end_reason: ended_on.map(|_| "Benchmark: no longer involved".into()),
            version: 1,
            created_at: at,
            updated_at: at,
        });
    }

    fn build_behaviours(&mut self, scale: &Scale, rng: &mut StdRng, now: DateTime<Utc>) {
        const INDICATORS: [Indicator; 11] = [
            Indicator::Force,
            Indicator::Coercion,
            Indicator::Secrecy,
            Indicator::AgeOrPowerGap,
            Indicator::NoInformedConsent,
            Indicator::PersistsAfterIntervention,
            Indicator::Compulsive,
            Indicator::Distress,
            Indicator::Planning,
            Indicator::Under13Involved,
            Indicator::ImagesOrOnline,
        ];
        let mut per_child = vec![0usize; self.children.len()];
        for _ in 0..scale.behaviours {
            per_child[rng.random_range(0..self.children.len())] += 1;
        }
        for (c, count) in per_child.into_iter().enumerate() {
            let child = self.children[c].clone();
            let mut dates: Vec<DateTime<Utc>> = (0..count)
                .map(|_| between(rng, child.created_at, now - Duration::days(1)))
                .collect();
            dates.sort();
            let mut history: Vec<(NaiveDate, TrafficLight)> = Vec::new();
            let mut escalated_at = None;
            for disclosed_at in dates {
                let occurred_on = (disclosed_at - Duration::days(rng.random_range(0..10)))
                    .date_naive()
                    .max(child.date_of_birth);
                // Mostly low-level behaviours, so that about one child in ten escalates
                // and the busiest agency sees about half the partnership, not all of it.
                let continuum = match rng.random_range(0..1000) {
                    0..600 => Continuum::Normal,
                    600..960 => Continuum::Inappropriate,
                    960..985 => Continuum::Problematic,
                    985..995 => Continuum::Abusive,
                    _ => Continuum::Violent,
                };
                let indicators: BTreeSet<Indicator> = (0..usize::from(rng.random_bool(0.04)))
                    .map(|_| *pick(rng, &INDICATORS))
                    .collect();
                let indicators: Vec<Indicator> = indicators.into_iter().collect();
                let suggested = suggested_traffic_light(&indicators, continuum);
                let chosen = if suggested > TrafficLight::Green && rng.random_bool(0.1) {
                    TrafficLight::Green
                } else {
                    suggested
                };
                let escalated = escalates(chosen, occurred_on, &history);
                history.push((occurred_on, chosen));
                if escalated && escalated_at.is_none() {
                    escalated_at = Some(disclosed_at);
                }
                let team = &self.teams[c];
                let recorder = team[rng.random_range(0..team.len())];
                let restricted = rng.random_bool(0.1);
                let id = id_at(disclosed_at);
                self.behaviours.push(behaviours::Model {
                    id,
                    child_id: child.id,
                    agency_id: self.agencies[recorder].id,
                    recorded_by: practitioner(self.code(recorder), 1),
                    occurred_on,
                    disclosed_at,
                    setting: *pick(
                        rng,
                        &[
                            Setting::Home,
                            Setting::School,
                            Setting::Community,
                            Setting::Online,
                        ],
                    ),
                    contact_type: *pick(
                        rng,
                        &[
                            ContactType::Contact,
                            ContactType::NonContact,
                            ContactType::Online,
                        ],
                    ),
                    description: fake::text(rng, "Behaviour"),
                    continuum,
                    traffic_light: chosen,
                    suggested_traffic_light: suggested,
                    indicators: Indicators(indicators),
                    classification_rationale: needs_rationale(chosen, suggested)
                        .then(|| "Benchmark: practitioner judgement recorded".into()),
                    escalated,
                    sensitivity: if restricted {
                        Sensitivity::Restricted
                    } else {
                        Sensitivity::Standard
                    },
                    shared_with: AgencyIds(Vec::new()),
                    version: 1,
                    created_at: disclosed_at,
                    updated_at: disclosed_at,
                    entered_in_error_at: None,
                    entered_in_error_by: None,
                    entered_in_error_reason: None,
                });
                if rng.random_bool(0.3) {
                    self.affected.push(affected_children::Model {
                        id: id_at(disclosed_at),
                        behaviour_id: id,
                        child_id: None,
                        given_name: Some("Example".into()),
                        family_name: Some("Affectedchild".into()),
                        age_at_time: Some(rng.random_range(5..16)),
                        relationship: pick(rng, &["sibling", "classmate", "neighbour"]).to_string(),
                        version: 1,
                        created_at: disclosed_at,
                        updated_at: disclosed_at,
                    });
                }
            }
            // An escalation brings the designated social care and police onto the case team.
            if let Some(at) = escalated_at {
                for designated in [0, 1] {
                    if !self.teams[c].contains(&designated) {
                        self.push_involvement(
                            child.id,
                            designated,
                            InvolvementRole::Partner,
                            at,
                            None,
                        );
                        self.teams[c].push(designated);
                    }
                }
            }
        }
    }

    fn build_chronology(&mut self, scale: &Scale, rng: &mut StdRng, now: DateTime<Utc>) {
        const KINDS: [ChronologyKind; 16] = [
            ChronologyKind::Disclosure,
            ChronologyKind::Referral,
            ChronologyKind::ReferralDecision,
            ChronologyKind::StrategyDiscussion,
            ChronologyKind::Section47Started,
            ChronologyKind::AssessmentStarted,
            ChronologyKind::AssessmentCompleted,
            ChronologyKind::InitialCpConference,
            ChronologyKind::PoliceInterview,
            ChronologyKind::Charge,
            ChronologyKind::OutOfCourtDisposal,
            ChronologyKind::NoFurtherAction,
            ChronologyKind::FirstCourtHearing,
            ChronologyKind::Outcome,
            ChronologyKind::PlanReview,
            ChronologyKind::Note,
        ];
        let n = self.children.len();
        let mut per_child = vec![0usize; n];
        // The busiest agency's first children get exactly 100 entries each.
        let heavy: Vec<usize> = (0..n)
            .filter(|c| self.teams[*c][0] == 0)
            .take(scale.heavy_children)
            .collect();
        let mut left = scale.chronology;
        for c in &heavy {
            per_child[*c] = HEAVY_CHRONOLOGY.min(left);
            left -= per_child[*c];
            self.heavy.push(self.children[*c].id);
        }
        let others: Vec<usize> = (0..n).filter(|c| !heavy.contains(c)).collect();
        for _ in 0..left {
            if others.is_empty() {
                break;
            }
            per_child[*pick(rng, &others)] += 1;
        }
        let mut behaviours_of: Vec<Vec<(Uuid, DateTime<Utc>)>> = vec![Vec::new(); n];
        let index: std::collections::HashMap<Uuid, usize> = self
            .children
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        for b in &self.behaviours {
            if let Some(i) = index.get(&b.child_id) {
                behaviours_of[*i].push((b.id, b.disclosed_at));
            }
        }
        for (c, count) in per_child.into_iter().enumerate() {
            let child_id = self.children[c].id;
            let created = self.children[c].created_at;
            for _ in 0..count {
                let mut kind = *pick(rng, &KINDS);
                let mut behaviour_id = None;
                let mut occurred_at = between(rng, created, now - Duration::hours(1));
                if kind == ChronologyKind::Disclosure {
                    match behaviours_of[c].first() {
                        Some((id, at)) if rng.random_bool(0.5) => {
                            behaviour_id = Some(*id);
                            occurred_at = *at;
                        }
                        _ => {}
                    }
                } else if kind == ChronologyKind::PlanReview && rng.random_bool(0.5) {
                    kind = ChronologyKind::Note;
                }
                let team = self.founding_team(c);
                let agency = team[rng.random_range(0..team.len())];
                let restricted = rng.random_bool(0.1);
                self.chronology.push(chronology_entries::Model {
                    id: id_at(occurred_at),
                    child_id,
                    behaviour_id,
                    kind,
                    occurred_at,
                    agency_id: self.agencies[agency].id,
                    recorded_by: practitioner(self.code(agency), 1),
                    summary: fake::text(rng, "Chronology"),
                    sensitivity: if restricted {
                        Sensitivity::Restricted
                    } else {
                        Sensitivity::Standard
                    },
                    shared_with: AgencyIds(Vec::new()),
                    version: 1,
                    created_at: occurred_at,
                    updated_at: occurred_at,
                    entered_in_error_at: None,
                    entered_in_error_by: None,
                    entered_in_error_reason: None,
                });
            }
        }
    }

    fn build_plans(&mut self, scale: &Scale, rng: &mut StdRng, now: DateTime<Utc>) {
        const ACTION_KINDS: [ActionKind; 10] = [
            ActionKind::Assessment,
            ActionKind::Intervention,
            ActionKind::SafetyPlan,
            ActionKind::TherapeuticSupport,
            ActionKind::EducationChange,
            ActionKind::PlacementChange,
            ActionKind::PoliceInvestigationStep,
            ActionKind::ChargingDecision,
            ActionKind::CourtProceeding,
            ActionKind::Other,
        ];
        let n = self.children.len();
        let plans = scale.plans.min(n);
        for c in 0..n {
            // Exactly `plans` children, evenly spread, hold a plan.
            if (c + 1) * plans / n == c * plans / n {
                continue;
            }
            let child = self.children[c].clone();
            // Members are the agencies on the case team when the plan was drawn up.
            let team = self.founding_team(c);
            let lead = team[0];
            let created_at = between(rng, child.created_at, now - Duration::days(30));
            let roll = rng.random_range(0..100);
            let status = match roll {
                0..75 => PlanStatus::Active,
                75..90 => PlanStatus::Draft,
                _ => PlanStatus::Closed,
            };
            let activated_at = (status != PlanStatus::Draft)
                .then(|| between(rng, created_at, created_at + Duration::days(10)));
            let closed_at = (status == PlanStatus::Closed)
                .then(|| between(rng, created_at + Duration::days(11), now));
            let review_held = activated_at
                .filter(|_| status == PlanStatus::Active)
                .map(|at| between(rng, at, now - Duration::days(1)).date_naive());
            let next_review_due = review_held.map(|held| held + Duration::days(90));
            let plan_id = id_at(created_at);
            self.plans.push(joint_plans::Model {
                id: plan_id,
                child_id: child.id,
                title: format!("Benchmark joint plan {c}"),
                status,
                pathway: *pick(
                    rng,
                    &[
                        Pathway::ChildProtection,
                        Pathway::CriminalJustice,
                        Pathway::Both,
                        Pathway::ChildInNeed,
                        Pathway::EarlyHelp,
                    ],
                ),
                lead_agency_id: self.agencies[lead].id,
                risk_summary: Some(fake::text(rng, "Risk summary")),
                next_review_due,
                activated_at,
                closed_at,
                version: 1,
                created_at,
                updated_at: closed_at.or(activated_at).unwrap_or(created_at),
            });
            // Every current member is on the case team: the lead and its partners.
            let members: Vec<(Uuid, AgencyKind)> = team
                .iter()
                .map(|a| (self.agencies[*a].id, self.agencies[*a].kind))
                .collect();
            for (agency_id, _) in &members {
                self.members.push(plan_members::Model {
                    id: id_at(created_at),
                    plan_id,
                    agency_id: *agency_id,
                    removed_at: None,
                    version: 1,
                    created_at,
                    updated_at: created_at,
                });
            }
            if let (Some(held), Some(activated)) = (review_held, activated_at) {
                let at = held
                    .and_hms_opt(12, 0, 0)
                    .map(|t| t.and_utc())
                    .unwrap_or(activated);
                self.reviews.push(plan_reviews::Model {
                    id: id_at(at),
                    plan_id,
                    held_on: held,
                    attending_agencies: AgencyIds(members.iter().map(|m| m.0).collect()),
                    summary: fake::text(rng, "Review"),
                    next_review_due,
                    recorded_by: practitioner(self.code(lead), 1),
                    version: 1,
                    created_at: at,
                    updated_at: at,
                });
            }
            for a in 0..scale.actions_per_plan {
                let at = created_at + Duration::minutes(a as i64 + 1);
                let assigned = members[rng.random_range(0..members.len())].0;
                let kind = *pick(rng, &ACTION_KINDS);
                let consulted = agencies_to_consult(kind, assigned, &members, &[]);
                let action_id = id_at(at);
                let (status, consultation) = if status == PlanStatus::Closed {
                    let s = *pick(rng, &[ActionStatus::Done, ActionStatus::Cancelled]);
                    (s, ConsultationStatus::Agreed)
                } else if consulted.is_empty() {
                    let s = *pick(
                        rng,
                        &[
                            ActionStatus::Proposed,
                            ActionStatus::Agreed,
                            ActionStatus::InProgress,
                            ActionStatus::Done,
                        ],
                    );
                    (s, ConsultationStatus::Agreed)
                } else {
                    match rng.random_range(0..100) {
                        0..25 => (
                            ActionStatus::AwaitingConsultation,
                            ConsultationStatus::Requested,
                        ),
                        25..70 => (ActionStatus::Agreed, ConsultationStatus::Agreed),
                        70..90 => (ActionStatus::InProgress, ConsultationStatus::Agreed),
                        _ => (ActionStatus::Blocked, ConsultationStatus::Objected),
                    }
                };
                self.actions.push(plan_actions::Model {
                    id: action_id,
                    plan_id,
                    assigned_agency_id: assigned,
                    kind,
                    description: fake::text(rng, "Action"),
                    due_on: Some((now + Duration::days(rng.random_range(-30..120))).date_naive()),
                    status,
                    created_by: practitioner(self.code(lead), 1),
                    version: 1,
                    created_at: at,
                    updated_at: at,
                });
                for agency_id in consulted {
                    let answered = consultation != ConsultationStatus::Requested;
                    let answered_at = at + Duration::hours(2);
                    let code = self
                        .agencies
                        .iter()
                        .find(|x| x.id == agency_id)
                        .map(|x| x.code.clone())
                        .unwrap_or_default();
                    self.consultations.push(consultations::Model {
                        id: id_at(at),
                        action_id,
                        agency_id,
                        status: consultation,
                        response_note: answered.then(|| "Benchmark response".into()),
                        responded_by: answered.then(|| practitioner(&code, 1)),
                        responded_at: answered.then_some(answered_at),
                        override_reason: None,
                        overridden_by: None,
                        overridden_at: None,
                        version: if answered { 2 } else { 1 },
                        created_at: at,
                        updated_at: if answered { answered_at } else { at },
                    });
                }
            }
        }
    }

    fn build_grants(&mut self, rng: &mut StdRng, now: DateTime<Utc>) {
        // One child in 200 has a break-glass grant to an agency off its case team.
        for c in (1..self.children.len()).step_by(200) {
            let Some(other) = (1..self.agencies.len()).find(|a| !self.teams[c].contains(a)) else {
                continue;
            };
            let at = now - Duration::hours(rng.random_range(1..200));
            self.grants.push(access_grants::Model {
                id: id_at(at),
                child_id: self.children[c].id,
                agency_id: self.agencies[other].id,
                subject: practitioner(self.code(other), 1),
                reason: "Benchmark: emergency access".into(),
                expires_at: at + Duration::hours(72),
                created_at: at,
                updated_at: at,
            });
        }
    }
}
