//! Enumerations stored as text, with the names the public contract uses.
//!
//! Each one is also a GraphQL enum of the same name, so the schema and the
//! database never disagree on spelling.

use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            EnumIter, DeriveActiveEnum, Serialize, Deserialize, async_graphql::Enum,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text", rename_all = "SCREAMING_SNAKE_CASE")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($(#[$variant_meta])* $variant),+ }
    };
}

text_enum!(
    /// Where a referral stands: received and waiting, or the decision the child's lead
    /// agency made on it.
    ReferralStatus {
        /// Received; the child's lead agency has not decided it yet.
        Received,
        /// The lead agency put the referring agency on the child's case team.
        AddToCaseTeam,
        /// The lead agency decided that nothing more is to be done on this referral.
        NoFurtherAction,
        /// The child was already known and the case team stays as it is.
        AlreadyKnownNoChange,
    }
);

text_enum!(
    /// What the child's lead agency decides about a referral; the decision is sent to
    /// the referring agency.
    ReferralDecision {
        /// Put the referring agency on the child's case team, as a partner.
        AddToCaseTeam,
        /// Nothing more is to be done on this referral.
        NoFurtherAction,
        /// The child is already known and the case team stays as it is.
        AlreadyKnownNoChange,
    }
);

text_enum!(
    /// What kind of organisation an agency is. Its sector (justice or welfare) follows
    /// from it, and the strategic report breaks figures down by it.
    AgencyKind {
        /// Children's social care: the local authority service that leads safeguarding.
        ChildrensSocialCare,
        /// A police force (a justice agency).
        Police,
        /// A youth justice service or youth offending team (a justice agency).
        YouthJustice,
        /// A school, college or other education provider.
        Education,
        /// The local authority's educational psychology service.
        EducationalPsychology,
        /// A health provider: GP, school nursing, hospital or community health.
        Health,
        /// Child and adolescent mental health services.
        Camhs,
        /// A secure children's home, secure training centre or young offender institution
        /// (a justice agency).
        SecureEstate,
        /// Early help: support offered before a statutory threshold is reached.
        EarlyHelp,
        /// A specialist service for children who display harmful sexual behaviour.
        SpecialistHsbService,
        /// Any other organisation of the partnership (a welfare agency).
        Other,
    }
);

text_enum!(
    /// Whether a child's case is open.
    ChildStatus {
        /// The partnership is working with the child.
        Open,
        /// The case has been closed; the record is kept.
        Closed,
    }
);

text_enum!(
    /// An agency's place on a child's case team.
    InvolvementRole {
        /// The lead agency: exactly one per open child. It decides referrals, sees
        /// restricted entries and runs the case team.
        Lead,
        /// Any other agency working with the child.
        Partner,
    }
);

text_enum!(
    /// Where a behaviour happened.
    Setting {
        /// At the child's home or a family home.
        Home,
        /// At school or college, including journeys and trips.
        School,
        /// In the community: streets, parks, clubs, other people's homes.
        Community,
        /// Online: social media, messaging, gaming, video calls.
        Online,
        /// In a foster or residential care placement.
        CarePlacement,
        /// In custody or the secure estate.
        Custody,
        /// Somewhere else; the description says where.
        Other,
    }
);

text_enum!(
    /// Whether a behaviour involved physical contact.
    ContactType {
        /// Physical contact with another person.
        Contact,
        /// No physical contact, in person (exposure, watching, sexual language).
        NonContact,
        /// Through a device or the internet (images, messages, live streaming).
        Online,
    }
);

text_enum!(
    /// Where a behaviour sits on Hackett's continuum of children's sexual behaviours,
    /// from normal to violent, in that order. `ABUSIVE` or `VIOLENT` makes the suggested
    /// traffic light `RED`; `PROBLEMATIC` makes it at least `AMBER`.
    Continuum {
        /// Expected for the child's age and development and socially acceptable:
        /// consensual, mutual and reciprocal, with decisions shared.
        Normal,
        /// A single or occasional instance that is out of place in its setting (though it
        /// may be accepted among peers); generally still consensual and reciprocal.
        Inappropriate,
        /// Unusual for the child's development and socially unexpected, without overt
        /// victimisation: consent may be unclear, and it may lack reciprocity or equal
        /// power or be compulsive.
        Problematic,
        /// Victimising in intent or outcome: misuse of power, coercion or force,
        /// intrusion, consent absent or not freely given; may include expressive violence.
        Abusive,
        /// Physically violent sexual abuse: highly intrusive, with violence used as a
        /// means or for arousal, or sadism.
        Violent,
    }
);

text_enum!(
    /// Brook's sexual behaviours traffic light, from least to most concerning, in that
    /// order. The service suggests one from the continuum and the indicators; the
    /// practitioner's choice stands.
    TrafficLight {
        /// Safe and healthy sexual development: between children of similar age or
        /// development, curious, exploratory and consensual. Calls for understanding and
        /// positive guidance, not protective action.
        Green,
        /// Possibly outside safe and healthy behaviour: unusual for the child's age or
        /// development, or potentially harmful because of an age or developmental gap,
        /// the activity, its frequency or a lack of consent. Calls for attention and
        /// information gathering; a second `AMBER` or worse within 12 months escalates.
        Amber,
        /// Outside safe and healthy behaviour: excessive, secretive, compulsive, coercive,
        /// degrading or threatening, or with a marked age, developmental or power gap.
        /// Calls for immediate protection and support, and escalates the case.
        Red,
    }
);

text_enum!(
    /// An observed feature of a behaviour. The indicators feed the suggested traffic
    /// light: `FORCE`, `COERCION`, `AGE_OR_POWER_GAP`, `NO_INFORMED_CONSENT` and
    /// `UNDER_13_INVOLVED` suggest `RED`; the others `AMBER`.
    Indicator {
        /// Physical force was used. Suggests `RED`.
        Force,
        /// Threats, bribes, manipulation or pressure were used. Suggests `RED`.
        Coercion,
        /// The child asked or pressed others to keep it secret. Suggests `AMBER`.
        Secrecy,
        /// A marked difference in age, size, ability or status between the children.
        /// Suggests `RED`.
        AgeOrPowerGap,
        /// Another child did not or could not give informed consent. Suggests `RED`.
        NoInformedConsent,
        /// The behaviour continued after adults intervened. Suggests `AMBER`.
        PersistsAfterIntervention,
        /// The behaviour seems compulsive or preoccupying. Suggests `AMBER`.
        Compulsive,
        /// Someone involved showed distress, fear or anxiety. Suggests `AMBER`.
        Distress,
        /// The behaviour was planned or premeditated (grooming, targeting). Suggests
        /// `AMBER`.
        Planning,
        /// A child under 13 was involved as the other party. Suggests `RED`.
        Under13Involved,
        /// Sexual images were made or shared, or the behaviour happened online.
        /// Suggests `AMBER`.
        ImagesOrOnline,
    }
);

text_enum!(
    /// Who may read an entry's content (see `docs/access.md`).
    Sensitivity {
        /// Readable by every agency on the child's case team.
        Standard,
        /// Content readable only by the recording agency, the agencies in
        /// `sharedWith` and the lead agency (police intelligence before charge,
        /// clinical detail). Other case-team agencies see that it exists, with its
        /// date, kind and agency, and `restricted: true`.
        Restricted,
    }
);

text_enum!(
    /// What a chronology entry records: a milestone of the procedure (the deadlines
    /// are computed from these) or a note.
    ChronologyKind {
        /// The child, or someone else, disclosed the behaviour to a professional; starts
        /// the disclosure-to-outcome target.
        Disclosure,
        /// The child was referred to the partnership; starts the referral-decision and
        /// assessment deadlines.
        Referral,
        /// The lead agency decided a referral; meets the referral-decision deadline.
        ReferralDecision,
        /// Social care, police and health (and others) met to decide together whether
        /// to start a child protection enquiry and how to proceed; meets the strategy
        /// discussion deadline and, on a child protection plan, starts the conference one.
        StrategyDiscussion,
        /// A child protection enquiry under section 47 of the Children Act 1989 was
        /// started: the local authority's duty when a child is suffering, or likely to
        /// suffer, significant harm.
        Section47Started,
        /// An assessment of the child's needs (e.g. AIM or the Assessment Framework)
        /// was started.
        AssessmentStarted,
        /// The assessment was completed; meets the assessment deadline.
        AssessmentCompleted,
        /// An initial child protection conference was held; meets the conference deadline.
        InitialCpConference,
        /// The police interviewed the child.
        PoliceInterview,
        /// The child was charged with an offence.
        Charge,
        /// The police dealt with it out of court (a caution or community resolution);
        /// meets the disclosure-to-outcome target.
        OutOfCourtDisposal,
        /// The police or prosecutor decided to take no further action; meets the
        /// disclosure-to-outcome target.
        NoFurtherAction,
        /// The child's first court hearing took place.
        FirstCourtHearing,
        /// The criminal or welfare route reached its outcome (e.g. a sentence or
        /// acquittal); meets the disclosure-to-outcome target.
        Outcome,
        /// A joint plan was reviewed.
        PlanReview,
        /// The child's case was closed.
        CaseClosed,
        /// A closed case was reopened by a new referral or behaviour.
        CaseReopened,
        /// Any other note worth recording in the shared chronology.
        Note,
    }
);

text_enum!(
    /// Where a joint plan is in its life.
    PlanStatus {
        /// Being drafted: members and actions can be added; not yet in force.
        Draft,
        /// In force: reviews fall due every three months.
        Active,
        /// Closed: kept for the record; no more changes.
        Closed,
    }
);

text_enum!(
    /// The statutory route a joint plan follows.
    Pathway {
        /// A child protection plan (section 47 enquiry and conference).
        ChildProtection,
        /// The criminal justice route: investigation, charge, court or out-of-court
        /// disposal.
        CriminalJustice,
        /// Child protection and criminal justice at once.
        Both,
        /// A child in need plan (section 17 of the Children Act 1989).
        ChildInNeed,
        /// Early help, below the statutory thresholds.
        EarlyHelp,
    }
);

text_enum!(
    /// What a plan action is. Justice actions (`POLICE_INVESTIGATION_STEP`,
    /// `CHARGING_DECISION`, `COURT_PROCEEDING`) need welfare members consulted first, and
    /// welfare actions (`PLACEMENT_CHANGE`, `EDUCATION_CHANGE`) need justice members
    /// consulted first.
    ActionKind {
        /// An assessment of the child or family.
        Assessment,
        /// A direct intervention with the child or family.
        Intervention,
        /// A safety plan for the child and others around them.
        SafetyPlan,
        /// Therapeutic support (e.g. CAMHS or a specialist service).
        TherapeuticSupport,
        /// A change of school or of education arrangements; justice members are
        /// consulted first.
        EducationChange,
        /// A change of where the child lives; justice members are consulted first.
        PlacementChange,
        /// A step of a police investigation; welfare members are consulted first.
        PoliceInvestigationStep,
        /// A decision whether to charge; welfare members are consulted first.
        ChargingDecision,
        /// A step in court proceedings; welfare members are consulted first.
        CourtProceeding,
        /// Anything else; the description says what.
        Other,
    }
);

text_enum!(
    /// Where a plan action is in its life.
    ActionStatus {
        /// Added, with no consultation outstanding; not yet started.
        Proposed,
        /// Waiting for the consulted agencies to agree (or a coordinator to override);
        /// it cannot start until then.
        AwaitingConsultation,
        /// Every consultation was agreed or overridden; the action may start.
        Agreed,
        /// Under way: the assigned agency has started it.
        InProgress,
        /// Finished: the assigned agency has done it.
        Done,
        /// Will not be done; kept for the record.
        Cancelled,
        /// A consulted agency objected; a coordinator of the lead agency may override.
        Blocked,
    }
);

text_enum!(
    /// The state of one agency's consultation on an action.
    ConsultationStatus {
        /// Waiting for the consulted agency's answer.
        Requested,
        /// The consulted agency agreed the action may go ahead.
        Agreed,
        /// The consulted agency objected; the action is blocked.
        Objected,
        /// A coordinator of the lead agency decided the action goes ahead regardless,
        /// with a recorded reason.
        Overridden,
    }
);

text_enum!(
    /// The kind of restricted entry a disclosure request asks about.
    DisclosureEntryKind {
        /// A behaviour (`Behaviour`).
        Behaviour,
        /// A chronology entry (`ChronologyEntry`).
        ChronologyEntry,
        /// An agency's contribution to a joint assessment (`AssessmentContribution`).
        AssessmentContribution,
    }
);

text_enum!(
    /// Where a disclosure request stands.
    DisclosureStatus {
        /// Waiting for the recording agency's decision.
        Requested,
        /// The recording agency shared the entry: the requesting agency is in its
        /// `sharedWith` and reads its content.
        Shared,
        /// The recording agency decided not to share the entry, with a recorded reason.
        Declined,
    }
);

text_enum!(
    /// What the recording agency decides about a disclosure request.
    DisclosureDecision {
        /// Share the entry with the requesting agency (adds it to `sharedWith`).
        Share,
        /// Do not share it; a reason of at least 20 characters is required and recorded.
        Decline,
    }
);

text_enum!(
    /// Where a joint assessment is in its life.
    AssessmentStatus {
        /// Started: the lead agency gathers contributions; not yet completed.
        InProgress,
        /// Completed with its formulation, levels and needs; never edited afterwards.
        Completed,
        /// Completed once, then replaced by a later completed reassessment; still readable.
        Superseded,
    }
);

text_enum!(
    /// How much concern (or need) an assessment finds, from none to high, in that order.
    ConcernLevel {
        /// No concern found.
        None,
        /// A low level of concern.
        Low,
        /// A medium level of concern.
        Medium,
        /// A high level of concern.
        High,
    }
);

text_enum!(
    /// How intensive the intervention an assessment recommends is, from low to high.
    InterventionIntensity {
        /// Low intensity: brief or universal support.
        Low,
        /// Medium intensity: targeted work over a period.
        Medium,
        /// High intensity: specialist, sustained intervention.
        High,
    }
);

text_enum!(
    /// Where one agency's contribution to one domain of an assessment stands.
    ContributionStatus {
        /// Asked for; the agency has not contributed yet.
        Requested,
        /// Contributed (and amendable until the assessment completes).
        Contributed,
        /// Still unanswered when the assessment completed; it can no longer be given.
        Lapsed,
    }
);

text_enum!(
    /// Whether an audited request was allowed.
    AuditOutcome {
        /// The request was allowed and carried out.
        Allowed,
        /// The request was refused by the access rules.
        Denied,
    }
);

/// A set of indicators, stored as a JSON array of their names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Indicators(pub Vec<Indicator>);

/// A list of agency ids, stored as a JSON array (`sharedWith`, attending agencies).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct AgencyIds(pub Vec<Uuid>);

/// A list of assessment framework domains (code and name), stored as JSON with the
/// assessment so that it keeps the framework version it started under.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct DomainList(pub Vec<DomainEntry>);

/// One domain of an assessment framework, as stored with an assessment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainEntry {
    /// The domain's code, e.g. `FAMILY`.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The names of the dimensions it covers.
    #[serde(default)]
    pub dimensions: Vec<String>,
}

text_enum!(
    /// Why a child's record is under legal hold: while a hold is active, the retention
    /// run never erases the record.
    LegalHoldKind {
        /// Litigation that is under way or reasonably expected.
        Litigation,
        /// A child safeguarding practice review (local or national).
        SafeguardingPracticeReview,
        /// A public inquiry, or another statutory inquiry.
        Inquiry,
        /// Any other reason, given in the hold's reason.
        Other,
    }
);
