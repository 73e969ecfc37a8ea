//! The synthetic demo partnership of local development mode.
//!
//! Every name is obviously fake (NATO-alphabet given names, family name `Testchild`),
//! and no identifier is real: the NHS numbers are in the 999 range the NHS reserves for
//! testing.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::enums::*;
use entity::{
    agencies, behaviours, children, chronology_entries, consultations, involvements, joint_plans,
    plan_actions, plan_members, plan_reviews,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, TransactionTrait,
};
use uuid::Uuid;

use crate::auth::Role;
use crate::domain::children::match_key;
use crate::domain::new_id;

/// The demo agencies: one of every kind, plus the partnership itself.
pub const AGENCIES: [(&str, &str, AgencyKind); 11] = [
    (
        "demo-csc",
        "Demo Borough Children's Social Care",
        AgencyKind::ChildrensSocialCare,
    ),
    ("demo-police", "Demo Constabulary", AgencyKind::Police),
    (
        "demo-yjs",
        "Demo Youth Justice Service",
        AgencyKind::YouthJustice,
    ),
    (
        "demo-school",
        "Demo Academy (fictional)",
        AgencyKind::Education,
    ),
    (
        "demo-edpsych",
        "Demo Educational Psychology Service",
        AgencyKind::EducationalPsychology,
    ),
    (
        "demo-health",
        "Demo Community Health Trust",
        AgencyKind::Health,
    ),
    ("demo-camhs", "Demo CAMHS", AgencyKind::Camhs),
    (
        "demo-secure",
        "Demo Secure Children's Home",
        AgencyKind::SecureEstate,
    ),
    (
        "demo-early-help",
        "Demo Early Help Team",
        AgencyKind::EarlyHelp,
    ),
    (
        "demo-hsb",
        "Demo HSB Specialist Service",
        AgencyKind::SpecialistHsbService,
    ),
    (
        "demo-partnership",
        "Demo Safeguarding Partnership",
        AgencyKind::Other,
    ),
];

/// The designated social care agency of the demo partnership.
pub const DESIGNATED_SOCIAL_CARE: &str = "demo-csc";
/// The designated police agency of the demo partnership.
pub const DESIGNATED_POLICE: &str = "demo-police";

/// A demo actor that development mode prints a token for.
pub struct DemoActor {
    /// Token subject.
    pub sub: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Agency code.
    pub agency: &'static str,
    /// Its one role.
    pub role: Role,
}

/// One demo actor for each role, spread across agencies.
pub const ACTORS: [DemoActor; 9] = [
    DemoActor {
        sub: "demo-coordinator",
        name: "Casey Coordinator (demo)",
        agency: "demo-csc",
        role: Role::Coordinator,
    },
    DemoActor {
        sub: "demo-social-worker",
        name: "Sol Socialworker (demo)",
        agency: "demo-csc",
        role: Role::Practitioner,
    },
    DemoActor {
        sub: "demo-police-officer",
        name: "Pat Police (demo)",
        agency: "demo-police",
        role: Role::Practitioner,
    },
    DemoActor {
        sub: "demo-school-dsl",
        name: "Sam School (demo)",
        agency: "demo-school",
        role: Role::AgencyLead,
    },
    DemoActor {
        sub: "demo-yjs-officer",
        name: "Yan Youthjustice (demo)",
        agency: "demo-yjs",
        role: Role::Practitioner,
    },
    DemoActor {
        sub: "demo-camhs-clinician",
        name: "Cam Clinician (demo)",
        agency: "demo-camhs",
        role: Role::Practitioner,
    },
    DemoActor {
        sub: "demo-analyst",
        name: "Ana Analyst (demo)",
        agency: "demo-partnership",
        role: Role::StrategicAnalyst,
    },
    DemoActor {
        sub: "demo-auditor",
        name: "Aud Auditor (demo)",
        agency: "demo-partnership",
        role: Role::Auditor,
    },
    DemoActor {
        sub: "demo-admin",
        name: "Ad Admin (demo)",
        agency: "demo-partnership",
        role: Role::SystemAdmin,
    },
];

const GIVEN: [&str; 20] = [
    "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet",
    "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango",
];

/// Partner agencies by child, in turn (indexes into [`AGENCIES`]).
const PARTNERS: [&[usize]; 5] = [&[3, 1, 6], &[3, 2], &[5, 6, 4], &[1, 2, 7], &[8, 3, 9]];

/// Seeds the demo partnership unless it is there already; `true` when it seeded.
pub async fn seed(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let exists = agencies::Entity::find()
        .filter(agencies::Column::Code.eq(DESIGNATED_SOCIAL_CARE))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    let txn = db.begin().await?;
    let now = Utc::now();
    let mut ids = Vec::new();
    for (code, name, kind) in AGENCIES {
        let agency = agencies::Model {
            id: new_id(),
            code: code.into(),
            name: name.into(),
            kind,
            active: true,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        ids.push(agency.id);
        agency.into_active_model().reset_all().insert(&txn).await?;
    }
    let seeder = Seeder { now, agencies: ids };
    for (i, given) in GIVEN.iter().enumerate() {
        seeder.child(&txn, i, given).await?;
    }
    txn.commit().await?;
    Ok(true)
}

struct Seeder {
    now: DateTime<Utc>,
    agencies: Vec<Uuid>,
}

impl Seeder {
    fn days_ago(&self, days: i64) -> DateTime<Utc> {
        self.now - Duration::days(days)
    }

    async fn child<C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
        i: usize,
        given: &str,
    ) -> Result<(), DbErr> {
        let n = i64::try_from(i).unwrap_or(0);
        let today = self.now.date_naive();
        let dob = today - Duration::days(365 * (8 + n % 10) + 17 * n);
        let family = "Testchild";
        let child = children::Model {
            id: new_id(),
            given_name: given.into(),
            family_name: family.into(),
            date_of_birth: dob,
            gender: ["Female", "Male", "Not recorded"][i % 3].into(),
            match_key: match_key(family, given, dob),
            // 999 000 0xx0-style numbers: reserved for testing, check digit computed below.
            nhs_number: test_nhs_number(i),
            unique_pupil_number: None,
            local_authority_ref: Some(format!("DEMO-LA-{:04}", i + 1)),
            police_ref: (i % 4 == 3).then(|| format!("DEMO-PR-{:04}", i + 1)),
            send: i % 5 == 2,
            looked_after: i % 6 == 4,
            status: if i % 7 == 6 {
                ChildStatus::Closed
            } else {
                ChildStatus::Open
            },
            version: 1,
            created_at: self.days_ago(200 - 5 * n),
            updated_at: self.days_ago(200 - 5 * n),
        };
        child
            .clone()
            .into_active_model()
            .reset_all()
            .insert(db)
            .await?;
        let lead = if i % 4 == 1 {
            self.agencies[9]
        } else {
            self.agencies[0]
        };
        self.involvement(
            db,
            child.id,
            lead,
            InvolvementRole::Lead,
            today - Duration::days(180 - 5 * n),
        )
        .await?;
        let partners: Vec<Uuid> = PARTNERS[i % PARTNERS.len()]
            .iter()
            .map(|p| self.agencies[*p])
            .filter(|p| *p != lead)
            .collect();
        for partner in &partners {
            self.involvement(
                db,
                child.id,
                *partner,
                InvolvementRole::Partner,
                today - Duration::days(150 - 4 * n),
            )
            .await?;
        }
        let recorder = partners[0];
        let lights = [TrafficLight::Green, TrafficLight::Amber, TrafficLight::Red];
        let mut first_behaviour = None;
        for b in 0..(1 + i % 3) {
            let light = lights[(i + b) % 3];
            let restricted = self.agencies[1] == recorder && b == 0;
            let behaviour = behaviours::ActiveModel {
                id: Set(new_id()),
                child_id: Set(child.id),
                agency_id: Set(recorder),
                recorded_by: Set("demo-seed".into()),
                occurred_on: Set(today - Duration::days(120 - 10 * i64::try_from(b).unwrap_or(0))),
                disclosed_at: Set(self.days_ago(118 - 10 * i64::try_from(b).unwrap_or(0))),
                setting: Set([
                    Setting::School,
                    Setting::Online,
                    Setting::Home,
                    Setting::Community,
                ][(i + b) % 4]),
                contact_type: Set([
                    ContactType::NonContact,
                    ContactType::Online,
                    ContactType::Contact,
                ][(i + b) % 3]),
                description: Set(format!(
                    "Synthetic demo behaviour {} for {given} Testchild.",
                    b + 1
                )),
                continuum: Set([
                    Continuum::Inappropriate,
                    Continuum::Problematic,
                    Continuum::Abusive,
                ][(i + b) % 3]),
                traffic_light: Set(light),
                suggested_traffic_light: Set(light),
                indicators: Set(Indicators(match light {
                    TrafficLight::Green => vec![],
                    TrafficLight::Amber => vec![Indicator::Secrecy],
                    TrafficLight::Red => vec![Indicator::Coercion, Indicator::AgeOrPowerGap],
                })),
                classification_rationale: Set(None),
                escalated: Set(light == TrafficLight::Red),
                sensitivity: Set(if restricted {
                    Sensitivity::Restricted
                } else {
                    Sensitivity::Standard
                }),
                shared_with: Set(AgencyIds(if restricted {
                    vec![self.agencies[2]]
                } else {
                    vec![]
                })),
                version: Set(1),
                created_at: Set(self.days_ago(118)),
                updated_at: Set(self.days_ago(118)),
            }
            .insert(db)
            .await?;
            first_behaviour.get_or_insert(behaviour.id);
        }
        let entries = [
            (
                ChronologyKind::Disclosure,
                118,
                recorder,
                Sensitivity::Standard,
            ),
            (
                ChronologyKind::Referral,
                117,
                recorder,
                Sensitivity::Standard,
            ),
            (
                ChronologyKind::ReferralDecision,
                116,
                lead,
                Sensitivity::Standard,
            ),
            (
                ChronologyKind::StrategyDiscussion,
                115,
                lead,
                Sensitivity::Standard,
            ),
            (
                ChronologyKind::PoliceInterview,
                100,
                self.agencies[1],
                Sensitivity::Restricted,
            ),
        ];
        for (k, (kind, days, agency, sensitivity)) in entries.into_iter().enumerate() {
            if kind == ChronologyKind::PoliceInterview && !partners.contains(&self.agencies[1]) {
                continue;
            }
            chronology_entries::ActiveModel {
                id: Set(new_id()),
                child_id: Set(child.id),
                behaviour_id: Set(if k == 0 { first_behaviour } else { None }),
                kind: Set(kind),
                occurred_at: Set(self.days_ago(days - n)),
                agency_id: Set(agency),
                recorded_by: Set("demo-seed".into()),
                summary: Set(format!(
                    "Synthetic demo entry: {kind:?} for {given} Testchild."
                )),
                sensitivity: Set(sensitivity),
                shared_with: Set(AgencyIds(vec![])),
                version: Set(1),
                created_at: Set(self.days_ago(days - n)),
                updated_at: Set(self.days_ago(days - n)),
            }
            .insert(db)
            .await?;
        }
        if i.is_multiple_of(3) {
            self.plan(db, i, child.id, lead, &partners).await?;
        }
        Ok(())
    }

    async fn involvement<C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
        child_id: Uuid,
        agency_id: Uuid,
        role: InvolvementRole,
        started_on: NaiveDate,
    ) -> Result<(), DbErr> {
        involvements::ActiveModel {
            id: Set(new_id()),
            child_id: Set(child_id),
            agency_id: Set(agency_id),
            role: Set(role),
            lead_practitioner: Set(Some("Demo Practitioner".into())),
            started_on: Set(started_on),
            ended_on: Set(None),
            reason: Set(Some("Synthetic demo involvement".into())),
            end_reason: Set(None),
            version: Set(1),
            created_at: Set(self.now),
            updated_at: Set(self.now),
        }
        .insert(db)
        .await?;
        Ok(())
    }

    async fn plan<C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
        i: usize,
        child_id: Uuid,
        lead: Uuid,
        partners: &[Uuid],
    ) -> Result<(), DbErr> {
        let status = [
            PlanStatus::Active,
            PlanStatus::Draft,
            PlanStatus::Active,
            PlanStatus::Closed,
        ][(i / 3) % 4];
        let activated = (status != PlanStatus::Draft).then(|| self.days_ago(100));
        let plan = joint_plans::ActiveModel {
            id: Set(new_id()),
            child_id: Set(child_id),
            title: Set(format!("Demo joint plan {}", i + 1)),
            status: Set(status),
            pathway: Set([
                Pathway::Both,
                Pathway::ChildProtection,
                Pathway::CriminalJustice,
                Pathway::EarlyHelp,
            ][i % 4]),
            lead_agency_id: Set(lead),
            risk_summary: Set(Some("Synthetic risk summary for the demo.".into())),
            next_review_due: Set(activated.map(|a| (a + Duration::days(91)).date_naive())),
            activated_at: Set(activated),
            closed_at: Set((status == PlanStatus::Closed).then(|| self.days_ago(10))),
            version: Set(1),
            created_at: Set(self.days_ago(110)),
            updated_at: Set(self.days_ago(100)),
        }
        .insert(db)
        .await?;
        for agency in std::iter::once(&lead).chain(partners) {
            plan_members::ActiveModel {
                id: Set(new_id()),
                plan_id: Set(plan.id),
                agency_id: Set(*agency),
                removed_at: Set(None),
                version: Set(1),
                created_at: Set(self.days_ago(110)),
                updated_at: Set(self.days_ago(110)),
            }
            .insert(db)
            .await?;
        }
        let mut actions = vec![(lead, ActionKind::Assessment, ActionStatus::InProgress)];
        for partner in partners {
            if *partner == self.agencies[1] {
                actions.push((
                    *partner,
                    ActionKind::ChargingDecision,
                    ActionStatus::AwaitingConsultation,
                ));
            } else if *partner == self.agencies[6] {
                actions.push((
                    *partner,
                    ActionKind::TherapeuticSupport,
                    ActionStatus::Agreed,
                ));
            } else {
                actions.push((*partner, ActionKind::SafetyPlan, ActionStatus::Proposed));
            }
        }
        for (assigned, kind, status) in actions {
            let action = plan_actions::ActiveModel {
                id: Set(new_id()),
                plan_id: Set(plan.id),
                assigned_agency_id: Set(assigned),
                kind: Set(kind),
                description: Set(format!("Synthetic demo action: {kind:?}.")),
                due_on: Set(Some((self.now + Duration::days(14)).date_naive())),
                status: Set(status),
                created_by: Set("demo-seed".into()),
                version: Set(1),
                created_at: Set(self.days_ago(99)),
                updated_at: Set(self.days_ago(99)),
            }
            .insert(db)
            .await?;
            if kind == ActionKind::ChargingDecision {
                // As the consultation rule asks: every welfare member of the plan.
                let welfare = std::iter::once(&lead).chain(partners).filter(|agency| {
                    let index = self
                        .agencies
                        .iter()
                        .position(|id| id == *agency)
                        .unwrap_or(0);
                    crate::policy::sector(AGENCIES[index].2) == crate::policy::Sector::Welfare
                });
                for agency in welfare {
                    consultations::ActiveModel {
                        id: Set(new_id()),
                        action_id: Set(action.id),
                        agency_id: Set(*agency),
                        status: Set(ConsultationStatus::Requested),
                        response_note: Set(None),
                        responded_by: Set(None),
                        responded_at: Set(None),
                        override_reason: Set(None),
                        overridden_by: Set(None),
                        overridden_at: Set(None),
                        version: Set(1),
                        created_at: Set(self.days_ago(99)),
                        updated_at: Set(self.days_ago(99)),
                    }
                    .insert(db)
                    .await?;
                }
            }
        }
        if status != PlanStatus::Draft {
            plan_reviews::ActiveModel {
                id: Set(new_id()),
                plan_id: Set(plan.id),
                held_on: Set((self.days_ago(40)).date_naive()),
                attending_agencies: Set(AgencyIds(
                    std::iter::once(lead)
                        .chain(partners.iter().copied())
                        .collect(),
                )),
                summary: Set("Synthetic demo review: progress noted.".into()),
                next_review_due: Set(Some((self.now + Duration::days(50)).date_naive())),
                recorded_by: Set("demo-seed".into()),
                version: Set(1),
                created_at: Set(self.days_ago(40)),
                updated_at: Set(self.days_ago(40)),
            }
            .insert(db)
            .await?;
        }
        Ok(())
    }
}

/// A valid NHS number in the 999 test range for demo child `i`.
fn test_nhs_number(i: usize) -> Option<String> {
    (0..10).find_map(|tweak| {
        let base = format!("999{:04}{:02}", i * 10 + tweak, 0);
        let body = &base[..9];
        (0..=9)
            .map(|d| format!("{body}{d}"))
            .find_map(|n| crate::domain::identifiers::nhs_number(&n))
    })
}
