//! The synthetic demo partnership of local development mode.
//!
//! Every name is obviously fake (NATO-alphabet given names, family name `Testchild`),
//! and no identifier is real: the NHS numbers are in the 999 range the NHS reserves for
//! testing.
//!
//! The demo is seeded through the domain's own operations, by synthetic actors of the
//! right roles, so it obeys every rule (the consultation rule, escalation to the
//! designated agencies, plan membership) and writes its audit rows and events like any
//! other caller would. Because every operation happens now, the demo's dates are recent:
//! the behaviours and chronology entries carry past dates, the plans start today.

mod seed;

use entity::enums::AgencyKind;

use crate::auth::Role;

pub use seed::seed;

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
pub const ACTORS: [DemoActor; 10] = [
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
    DemoActor {
        sub: "demo-information-governance",
        name: "Ida Infogov (demo)",
        agency: "demo-partnership",
        role: Role::InformationGovernance,
    },
];
