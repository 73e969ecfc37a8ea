//! Enumerations stored as text, with the names of the design (DESIGN §3).
//!
//! Each one is also a GraphQL enum of the same name, so the schema and the
//! database never disagree on spelling.

use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            EnumIter, DeriveActiveEnum, Serialize, Deserialize, async_graphql::Enum,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text", rename_all = "SCREAMING_SNAKE_CASE")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($variant),+ }
    };
}

text_enum!(
    /// Where a referral stands: received, or the lead agency's decision on it.
    ReferralStatus { Received, AddToCaseTeam, NoFurtherAction, AlreadyKnownNoChange }
);

text_enum!(
    /// What the lead agency decides about a referral.
    ReferralDecision { AddToCaseTeam, NoFurtherAction, AlreadyKnownNoChange }
);

text_enum!(
    /// What an agency is; its sector is derived from this.
    AgencyKind {
        ChildrensSocialCare, Police, YouthJustice, Education, EducationalPsychology, Health,
        Camhs, SecureEstate, EarlyHelp, SpecialistHsbService, Other,
    }
);

text_enum!(
    /// Whether a child's case is open.
    ChildStatus { Open, Closed }
);

text_enum!(
    /// An agency's place on a case team.
    InvolvementRole { Lead, Partner }
);

text_enum!(
    /// Where a behaviour happened.
    Setting { Home, School, Community, Online, CarePlacement, Custody, Other }
);

text_enum!(
    /// Whether a behaviour involved contact.
    ContactType { Contact, NonContact, Online }
);

text_enum!(
    /// Hackett's continuum, from normal to violent, in that order.
    Continuum { Normal, Inappropriate, Problematic, Abusive, Violent }
);

text_enum!(
    /// Brook traffic light, from least to most concerning, in that order.
    TrafficLight { Green, Amber, Red }
);

text_enum!(
    /// An observed feature of a behaviour that feeds the suggested traffic light.
    Indicator {
        Force, Coercion, Secrecy, AgeOrPowerGap, NoInformedConsent, PersistsAfterIntervention,
        Compulsive, Distress, Planning, Under13Involved, ImagesOrOnline,
    }
);

text_enum!(
    /// Who may read an entry's content (DESIGN §5.3).
    Sensitivity { Standard, Restricted }
);

text_enum!(
    /// What a chronology entry records.
    ChronologyKind {
        Disclosure, Referral, ReferralDecision, StrategyDiscussion, Section47Started,
        AssessmentStarted, AssessmentCompleted, InitialCpConference, PoliceInterview, Charge,
        OutOfCourtDisposal, NoFurtherAction, FirstCourtHearing, Outcome, PlanReview, CaseClosed,
        Note,
    }
);

text_enum!(
    /// Where a joint plan is in its life.
    PlanStatus { Draft, Active, Closed }
);

text_enum!(
    /// The statutory route a joint plan follows.
    Pathway { ChildProtection, CriminalJustice, Both, ChildInNeed, EarlyHelp }
);

text_enum!(
    /// What a plan action is.
    ActionKind {
        Assessment, Intervention, SafetyPlan, TherapeuticSupport, EducationChange,
        PlacementChange, PoliceInvestigationStep, ChargingDecision, CourtProceeding, Other,
    }
);

text_enum!(
    /// Where a plan action is in its life.
    ActionStatus {
        Proposed, AwaitingConsultation, Agreed, InProgress, Done, Cancelled, Blocked,
    }
);

text_enum!(
    /// The state of one agency's consultation on an action.
    ConsultationStatus { Requested, Agreed, Objected, Overridden }
);

text_enum!(
    /// Whether an audited request was allowed.
    AuditOutcome { Allowed, Denied }
);

/// A set of indicators, stored as a JSON array of their names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Indicators(pub Vec<Indicator>);

/// A list of agency ids, stored as a JSON array (`sharedWith`, attending agencies).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct AgencyIds(pub Vec<Uuid>);
