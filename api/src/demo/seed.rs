//! Seeding the demo partnership through the domain's operations, as synthetic actors.

use chrono::{Duration, Utc};
use entity::agencies;
use entity::enums::*;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{AGENCIES, DESIGNATED_POLICE, DESIGNATED_SOCIAL_CARE};
use crate::auth::{Actor, Role};
use crate::domain::{
    self, Caller, DomainConfig, actions, behaviours, children, chronology, involvements,
    plan_members, plans,
};
use crate::error::ApiResult;

const GIVEN: [&str; 20] = [
    "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet",
    "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango",
];

/// Partner agencies by child, in turn (indexes into [`AGENCIES`]).
const PARTNERS: [&[usize]; 5] = [&[3, 1, 6], &[3, 2], &[5, 6, 4], &[1, 2, 7], &[8, 3, 9]];

const POLICE: usize = 1;
const YOUTH_JUSTICE: usize = 2;
const CAMHS: usize = 6;
const EARLY_HELP: usize = 8;
const HSB_SERVICE: usize = 9;
const PARTNERSHIP: usize = 10;

/// Seeds the demo partnership unless it is there already; `true` when it seeded.
pub async fn seed(db: &DatabaseConnection) -> ApiResult<bool> {
    if domain::agencies::by_code(db, DESIGNATED_SOCIAL_CARE)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let (code, name, kind) = AGENCIES[PARTNERSHIP];
    let partnership = domain::agencies::bootstrap(db, new_agency(code, name, kind)).await?;
    let admin = caller(&partnership, "demo-seed-admin", Role::SystemAdmin);
    let mut created = Vec::new();
    for (code, name, kind) in AGENCIES {
        if code == partnership.code {
            created.push(partnership.clone());
        } else {
            created.push(domain::agencies::create(db, &admin, new_agency(code, name, kind)).await?);
        }
    }
    let seeder = Seeder {
        db,
        agencies: created,
        config: DomainConfig {
            designated_social_care: Some(DESIGNATED_SOCIAL_CARE.into()),
            designated_police: Some(DESIGNATED_POLICE.into()),
            ..DomainConfig::default()
        },
    };
    for (i, given) in GIVEN.iter().enumerate() {
        seeder.child(i, given).await?;
    }
    seeder.referral().await?;
    Ok(true)
}

fn new_agency(code: &str, name: &str, kind: AgencyKind) -> domain::agencies::NewAgency {
    domain::agencies::NewAgency {
        code: code.into(),
        name: name.into(),
        kind,
    }
}

/// A synthetic actor of `agency` with one role, as the seed's caller.
fn caller(agency: &agencies::Model, subject: &str, role: Role) -> Caller {
    let actor = Actor {
        subject: subject.into(),
        name: format!("{subject} (demo seed)"),
        agency_id: agency.id,
        agency_code: agency.code.clone(),
        agency_kind: agency.kind,
        roles: [role].into(),
        expires_at: Utc::now() + Duration::hours(1),
    };
    Caller::new(actor, "demo-seed".into())
}

/// One demo child and the agencies working its case.
struct DemoCase<'a> {
    i: usize,
    given: &'a str,
    child_id: Uuid,
    lead: &'a agencies::Model,
    recorder: &'a agencies::Model,
    partners: Vec<&'a agencies::Model>,
}

struct Seeder<'a> {
    db: &'a DatabaseConnection,
    agencies: Vec<agencies::Model>,
    config: DomainConfig,
}

impl Seeder<'_> {
    fn coordinator(&self, agency: &agencies::Model) -> Caller {
        caller(agency, "demo-seed-coordinator", Role::Coordinator)
    }

    fn practitioner(&self, agency: &agencies::Model) -> Caller {
        caller(agency, "demo-seed-practitioner", Role::Practitioner)
    }

    /// The early help team refers Alpha, whom the partnership already knows: the referral
    /// waits for social care (Alpha's lead) to decide, as a front end will show it.
    async fn referral(&self) -> ApiResult<()> {
        let early_help = self.practitioner(&self.agencies[EARLY_HELP]);
        let referral = domain::referrals::Referral {
            child: children::NewChild {
                given_name: GIVEN[0].into(),
                family_name: "Testchild".into(),
                date_of_birth: Some(Utc::now().date_naive() - Duration::days(365 * 8)),
                gender: "Female".into(),
                nhs_number: test_nhs_number(0),
                ..children::NewChild::default()
            },
            reason: "Synthetic referral: concerns raised at a family support session.".into(),
            referred_at: None,
        };
        domain::referrals::refer(self.db, &early_help, &self.config, referral).await?;
        Ok(())
    }

    async fn child(&self, i: usize, given: &str) -> ApiResult<()> {
        let n = i64::try_from(i).unwrap_or(0);
        let now = Utc::now();
        let today = now.date_naive();
        let lead = &self.agencies[if i % 4 == 1 { HSB_SERVICE } else { 0 }];
        let coordinator = self.coordinator(lead);
        let child = children::register(
            self.db,
            &coordinator,
            children::NewChild {
                given_name: given.into(),
                family_name: "Testchild".into(),
                date_of_birth: Some(today - Duration::days(365 * (8 + n % 10) + 17 * n)),
                gender: ["Female", "Male", "Not recorded"][i % 3].into(),
                nhs_number: test_nhs_number(i),
                unique_pupil_number: None,
                local_authority_ref: Some(format!("DEMO-LA-{:04}", i + 1)),
                police_ref: (i % 4 == 3).then(|| format!("DEMO-PR-{:04}", i + 1)),
                send: i % 5 == 2,
                looked_after: i % 6 == 4,
            },
        )
        .await?;
        let partners: Vec<&agencies::Model> = PARTNERS[i % PARTNERS.len()]
            .iter()
            .map(|p| &self.agencies[*p])
            .filter(|p| p.id != lead.id)
            .collect();
        for partner in &partners {
            let involvement = involvements::NewInvolvement {
                agency_id: partner.id,
                role: InvolvementRole::Partner,
                lead_practitioner: Some("Demo Practitioner".into()),
                reason: Some("Synthetic demo involvement".into()),
            };
            involvements::add_involvement(self.db, &coordinator, child.id, involvement).await?;
        }
        let case = DemoCase {
            i,
            given,
            child_id: child.id,
            lead,
            recorder: partners.first().copied().unwrap_or(lead),
            partners,
        };
        let first_behaviour = self.behaviours(&case).await?;
        self.chronology(&case, first_behaviour).await?;
        if i.is_multiple_of(3) {
            self.plan(&case).await?;
        }
        Ok(())
    }

    async fn behaviours(&self, case: &DemoCase<'_>) -> ApiResult<Option<Uuid>> {
        let DemoCase {
            i,
            given,
            child_id,
            recorder,
            ..
        } = *case;
        let practitioner = self.practitioner(recorder);
        let now = Utc::now();
        let mut first = None;
        for b in 0..(1 + i % 3) {
            let days = 120 - 10 * i64::try_from(b).unwrap_or(0);
            let light = [TrafficLight::Green, TrafficLight::Amber, TrafficLight::Red][(i + b) % 3];
            let (continuum, indicators) = match light {
                TrafficLight::Green => (Continuum::Inappropriate, vec![]),
                TrafficLight::Amber => (Continuum::Problematic, vec![Indicator::Secrecy]),
                TrafficLight::Red => (
                    Continuum::Abusive,
                    vec![Indicator::Coercion, Indicator::AgeOrPowerGap],
                ),
            };
            let restricted = recorder.id == self.agencies[POLICE].id && b == 0;
            let input = behaviours::NewBehaviour {
                child_id,
                occurred_on: (now - Duration::days(days)).date_naive(),
                disclosed_at: now - Duration::days(days - 2),
                setting: [
                    Setting::School,
                    Setting::Online,
                    Setting::Home,
                    Setting::Community,
                ][(i + b) % 4],
                contact_type: [
                    ContactType::NonContact,
                    ContactType::Online,
                    ContactType::Contact,
                ][(i + b) % 3],
                description: format!("Synthetic demo behaviour {} for {given} Testchild.", b + 1),
                continuum,
                indicators,
                traffic_light: light,
                classification_rationale: None,
                sensitivity: if restricted {
                    Sensitivity::Restricted
                } else {
                    Sensitivity::Standard
                },
                shared_with: if restricted {
                    vec![self.agencies[YOUTH_JUSTICE].id]
                } else {
                    vec![]
                },
                affected_children: vec![],
            };
            let recorded = behaviours::record(self.db, &practitioner, &self.config, input).await?;
            first.get_or_insert(recorded.behaviour.id);
        }
        Ok(first)
    }

    async fn chronology(
        &self,
        case: &DemoCase<'_>,
        first_behaviour: Option<Uuid>,
    ) -> ApiResult<()> {
        let DemoCase {
            i,
            given,
            child_id,
            lead,
            recorder,
            ref partners,
        } = *case;
        let n = i64::try_from(i).unwrap_or(0);
        let police = &self.agencies[POLICE];
        let entries = [
            // Long enough ago that the outcome the disclosure calls for is overdue for the
            // first ten children: the police answer for it where they are on the team.
            (
                ChronologyKind::Disclosure,
                130,
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
                police,
                Sensitivity::Restricted,
            ),
        ];
        for (k, (kind, days, agency, sensitivity)) in entries.into_iter().enumerate() {
            if kind == ChronologyKind::PoliceInterview
                && !partners.iter().any(|p| p.id == police.id)
            {
                continue;
            }
            let author = if agency.id == lead.id {
                self.coordinator(agency)
            } else {
                self.practitioner(agency)
            };
            let entry = chronology::NewEntry {
                child_id,
                behaviour_id: if k == 0 { first_behaviour } else { None },
                kind,
                occurred_at: Utc::now() - Duration::days(days - n),
                summary: format!("Synthetic demo entry: {kind:?} for {given} Testchild."),
                sensitivity,
                shared_with: vec![],
            };
            chronology::add(self.db, &author, entry).await?;
        }
        Ok(())
    }

    async fn plan(&self, case: &DemoCase<'_>) -> ApiResult<()> {
        let DemoCase {
            i,
            child_id,
            lead,
            ref partners,
            ..
        } = *case;
        let coordinator = self.coordinator(lead);
        let status = [
            PlanStatus::Active,
            PlanStatus::Draft,
            PlanStatus::Active,
            PlanStatus::Closed,
        ][(i / 3) % 4];
        let input = plans::NewPlan {
            child_id,
            title: format!("Demo joint plan {}", i + 1),
            pathway: [
                Pathway::Both,
                Pathway::ChildProtection,
                Pathway::CriminalJustice,
                Pathway::EarlyHelp,
            ][i % 4],
            risk_summary: Some("Synthetic risk summary for the demo.".into()),
        };
        let mut plan = plans::create(self.db, &coordinator, input).await?;
        for partner in partners {
            plan =
                plan_members::add_member(self.db, &coordinator, plan.id, partner.id, plan.version)
                    .await?;
        }
        if status != PlanStatus::Draft {
            plan =
                plans::activate(self.db, &coordinator, &self.config, plan.id, plan.version).await?;
        }
        let mut actions = vec![(
            lead.id,
            ActionKind::Assessment,
            Some(ActionStatus::InProgress),
        )];
        for partner in partners {
            actions.push(if partner.id == self.agencies[POLICE].id {
                // Opens a consultation with every welfare member, as the rule says.
                (partner.id, ActionKind::ChargingDecision, None)
            } else if partner.id == self.agencies[CAMHS].id {
                (
                    partner.id,
                    ActionKind::TherapeuticSupport,
                    Some(ActionStatus::Agreed),
                )
            } else {
                (partner.id, ActionKind::SafetyPlan, None)
            });
        }
        for (assigned, kind, moved_to) in actions {
            let input = actions::NewAction {
                plan_id: plan.id,
                assigned_agency_id: assigned,
                kind,
                description: format!("Synthetic demo action: {kind:?}."),
                due_on: Some((Utc::now() + Duration::days(14)).date_naive()),
                consult: vec![],
                addresses_need_ids: vec![],
            };
            let added = actions::add(self.db, &coordinator, input).await?;
            if let Some(status) = moved_to {
                let action = added.action;
                actions::update_status(self.db, &coordinator, action.id, status, action.version)
                    .await?;
            }
        }
        // The lead asks the criminal-justice members for their view too, so that the
        // police and youth justice have consultations waiting as the welfare members do.
        let criminal_justice: Vec<Uuid> = partners
            .iter()
            .filter(|p| p.id == self.agencies[POLICE].id || p.id == self.agencies[YOUTH_JUSTICE].id)
            .map(|p| p.id)
            .collect();
        if !criminal_justice.is_empty() {
            let input = actions::NewAction {
                plan_id: plan.id,
                assigned_agency_id: lead.id,
                kind: ActionKind::SafetyPlan,
                description: "Synthetic demo action: a safety plan the partners are asked about."
                    .into(),
                due_on: Some((Utc::now() + Duration::days(21)).date_naive()),
                consult: criminal_justice,
                addresses_need_ids: vec![],
            };
            actions::add(self.db, &coordinator, input).await?;
        }
        if status != PlanStatus::Draft {
            let review = plans::NewReview {
                held_on: Utc::now().date_naive(),
                attending_agencies: std::iter::once(lead.id)
                    .chain(partners.iter().map(|p| p.id))
                    .collect(),
                summary: "Synthetic demo review: progress noted.".into(),
                next_review_due: None,
            };
            let (reviewed, _) = plans::record_review(
                self.db,
                &coordinator,
                &self.config,
                plan.id,
                review,
                plan.version,
            )
            .await?;
            plan = reviewed;
        }
        if status == PlanStatus::Closed {
            plans::close(self.db, &coordinator, plan.id, plan.version).await?;
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
            .find_map(|n| domain::identifiers::nhs_number(&n))
    })
}
