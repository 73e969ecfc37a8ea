//! `PlanAction`, `Consultation`, `myConsultations` and the action mutations.

use super::scalars::{Date, DateTime};
use async_graphql::{Context, Description, Enum, ID, InputObject, Object, SimpleObject};
use entity::enums::{ActionKind, ActionStatus, ConsultationStatus};
use entity::{consultations, plan_actions};

use super::agency::Agency;
use super::limits::size;
use super::limits::{MaxChars, MaxItems};
use super::plan::JointPlan;
use super::{agency_by_id, agency_ids, caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// Work a joint plan assigns to one of its member agencies. Visible to the plan's member
/// agencies. An action with implications for the other sector waits for that sector's
/// agencies to agree (its `consultations`) before it may start.
#[derive(Description)]
pub struct PlanAction(pub plan_actions::Model);

#[Object(use_type_description)]
impl PlanAction {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("PlanAction", self.0.id)
    }
    /// The joint plan the action belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> async_graphql::Result<JointPlan> {
        Ok(JointPlan(
            Box::pin(domain::plans::read_audited(
                db(ctx)?,
                caller(ctx)?,
                self.0.plan_id,
            ))
            .await
            .gql()?,
        ))
    }
    /// The member agency that is to do the action.
    async fn assigned_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.assigned_agency_id).await
    }
    /// What kind of action it is; the kind decides whether other agencies are consulted.
    async fn kind(&self) -> ActionKind {
        self.0.kind
    }
    /// What exactly is to be done, in the author's words.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The day by which the action should be done; `null` when no date was set.
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Into::into)
    }
    /// Where the action is in its life (proposed, awaiting consultation, in progress, …).
    async fn status(&self) -> ActionStatus {
        self.0.status
    }
    /// The record's version, raised by every change; a mutation that changes the record
    /// takes the value read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the action was added to the plan.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When the action last changed (its status, a consultation's outcome, or an
    /// amendment).
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// Whether the action's description or due date was ever corrected
    /// (`amendPlanAction`).
    async fn amended(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        super::amendment::amended(ctx, self.0.id).await
    }
    /// Every earlier version of the action's description and due date, oldest first,
    /// with who corrected them, when and why.
    #[graphql(complexity = "10 * child_complexity")]
    async fn history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::amendment::RecordVersion>> {
        super::amendment::readable_history(ctx, self.0.id).await
    }
    /// The needs of the child's assessments this action addresses.
    #[graphql(complexity = "size::NEEDS * child_complexity")]
    async fn addresses_needs(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::assessment::AssessmentNeed>> {
        let rows = super::assessment::load_many!(ctx, needs_of_action, self.0.id);
        Ok(rows
            .into_iter()
            .map(super::assessment::AssessmentNeed)
            .collect())
    }
    /// The consultations of the agencies that must agree before the action may start;
    /// empty when none is needed.
    #[graphql(complexity = "size::CONSULTATIONS * child_complexity")]
    async fn consultations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Consultation>> {
        let rows = ctx
            .data::<super::loaders::Loaders>()?
            .consultations
            .load_one(self.0.id)
            .await
            .map_err(super::loaders::loader_error)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Consultation).collect())
    }
}

/// One agency asked to agree a plan action before it may start: each member agency of
/// the other sector (justice or welfare), plus any the action's author named. Visible to
/// the plan's member agencies.
#[derive(Description)]
pub struct Consultation(pub consultations::Model);

#[Object(use_type_description)]
impl Consultation {
    /// The opaque global id; `node(id:)` fetches the object again by it.
    pub async fn id(&self) -> ID {
        ids::encode("Consultation", self.0.id)
    }
    /// The plan action the agency is consulted on; `null` when the caller may no longer
    /// see it.
    async fn action(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PlanAction>> {
        let _slot = super::db_slot(ctx).await?;
        Ok(Box::pin(domain::actions::read_audited(
            db(ctx)?,
            caller(ctx)?,
            self.0.action_id,
        ))
        .await
        .gql()?
        .map(PlanAction))
    }
    /// The agency whose agreement is asked; its `AGENCY_LEAD` or `COORDINATOR` answers.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.agency_id).await
    }
    /// Where the consultation stands: `REQUESTED`, `AGREED`, `OBJECTED` or `OVERRIDDEN`.
    async fn status(&self) -> ConsultationStatus {
        self.0.status
    }
    /// The consulted agency's note with its answer (always given with an objection);
    /// `null` before it answers.
    async fn response_note(&self) -> Option<&str> {
        self.0.response_note.as_deref()
    }
    /// The token subject of whoever answered; `null` before an answer.
    async fn responded_by(&self) -> Option<&str> {
        self.0.responded_by.as_deref()
    }
    /// When the consulted agency answered; `null` before an answer.
    async fn responded_at(&self) -> Option<DateTime> {
        self.0.responded_at.map(Into::into)
    }
    /// Why a coordinator of the lead agency overrode the consultation; `null` unless
    /// `OVERRIDDEN`.
    async fn override_reason(&self) -> Option<&str> {
        self.0.override_reason.as_deref()
    }
    /// The token subject of the coordinator who overrode it; `null` unless `OVERRIDDEN`.
    async fn overridden_by(&self) -> Option<&str> {
        self.0.overridden_by.as_deref()
    }
    /// When it was overridden; `null` unless `OVERRIDDEN`.
    async fn overridden_at(&self) -> Option<DateTime> {
        self.0.overridden_at.map(Into::into)
    }
    /// The record's version, raised by every change; a mutation that changes the record
    /// takes the value read as `expectedVersion`.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// How a consulted agency answers a consultation.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Enum)]
pub enum ConsultationResponse {
    /// The action may go ahead as far as this agency is concerned.
    Agreed,
    /// It may not: the action is blocked until a coordinator overrides.
    Objected,
}

/// Action queries.
#[derive(Default)]
pub struct ActionQuery;

#[Object]
impl ActionQuery {
    /// The consultations addressed to the caller's agency that are in the given state:
    /// by default those awaiting its answer.
    #[graphql(complexity = "size::MY_CONSULTATIONS * child_complexity")]
    async fn my_consultations(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(ConsultationStatus::Requested)",
            desc = "Only consultations in this state; `REQUESTED` (awaiting an answer) by default."
        )]
        status: Option<ConsultationStatus>,
    ) -> async_graphql::Result<Vec<Consultation>> {
        let rows = domain::consultations::mine(db(ctx)?, caller(ctx)?, status)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Consultation).collect())
    }
}

/// Input of `addPlanAction`: the action, who does it and whom to consult.
#[derive(InputObject)]
pub struct AddPlanActionInput {
    /// The global id of the joint plan (not closed).
    pub plan_id: ID,
    /// The global id of the member agency that is to do the action.
    pub assigned_agency_id: ID,
    /// What kind of action it is; justice and welfare kinds open consultations.
    pub kind: ActionKind,
    /// What exactly is to be done (at most 10,000 characters).
    #[graphql(validator(custom = "MaxChars::new(\"description\", 10000)"))]
    pub description: String,
    /// The day by which it should be done (from today to ten years ahead), if any.
    pub due_on: Option<Date>,
    /// Global ids of member agencies (at most 50) to consult besides those the
    /// consultation rule names.
    #[graphql(default, validator(custom = "MaxItems::new(\"consult\", 50)"))]
    pub consult: Vec<ID>,
    /// Global ids of the needs (at most 20) the action addresses: needs a completed
    /// assessment of the plan's child identified.
    #[graphql(default, validator(custom = "MaxItems::new(\"addressesNeedIds\", 20)"))]
    pub addresses_need_ids: Vec<ID>,
}

/// Result of `addPlanAction`: the action and its consultations.
#[derive(SimpleObject)]
pub struct AddPlanActionPayload {
    /// The new action: `AWAITING_CONSULTATION` when agencies are consulted, else
    /// `PROPOSED`.
    pub action: PlanAction,
}

/// Input of `updatePlanActionStatus`: the action and its new status.
#[derive(InputObject)]
pub struct UpdatePlanActionStatusInput {
    /// The global id of the plan action.
    pub action_id: ID,
    /// The status to move to; `IN_PROGRESS` needs every consultation agreed or
    /// overridden (`CONSULTATION_REQUIRED` otherwise).
    pub status: ActionStatus,
    /// The action's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of `updatePlanActionStatus`: the action as saved.
#[derive(SimpleObject)]
pub struct UpdatePlanActionStatusPayload {
    /// The action as saved, with its new status and `version`.
    pub action: PlanAction,
}

/// Input of `respondToConsultation`: the consulted agency's answer.
#[derive(InputObject)]
pub struct RespondToConsultationInput {
    /// The global id of the consultation to answer.
    pub consultation_id: ID,
    /// The answer: `AGREED` lets the action go ahead, `OBJECTED` blocks it.
    pub response: ConsultationResponse,
    /// The reasons for the answer (required with an objection; at most 2,000
    /// characters).
    #[graphql(validator(custom = "MaxChars::new(\"note\", 2000)"))]
    pub note: Option<String>,
    /// The consultation's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Input of `overrideConsultation`: the consultation and why the action goes ahead.
#[derive(InputObject)]
pub struct OverrideConsultationInput {
    /// The global id of the consultation to override.
    pub consultation_id: ID,
    /// Why the action goes ahead regardless (at most 2,000 characters; recorded, audited
    /// and sent to the plan's members).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The consultation's `version` as the client read it; a stale one is a `CONFLICT`.
    pub expected_version: i32,
}

/// Result of the consultation mutations: the consultation as saved.
#[derive(SimpleObject)]
pub struct ConsultationPayload {
    /// The consultation as saved, with its new status and `version`.
    pub consultation: Consultation,
}

/// Action mutations.
#[derive(Default)]
pub struct ActionMutation;

fn consultation_id(id: &ID) -> async_graphql::Result<uuid::Uuid> {
    ids::decode_as(id, "Consultation", "consultationId").gql()
}

#[Object]
impl ActionMutation {
    /// Adds an action to a plan: any case role of a member agency for its own agency, a
    /// `COORDINATOR` of the lead agency for any member. Opens the consultations the
    /// consultation rule requires.
    async fn add_plan_action(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action to add, who does it and whom to consult.")]
        input: AddPlanActionInput,
    ) -> async_graphql::Result<AddPlanActionPayload> {
        let new = domain::actions::NewAction {
            plan_id: ids::decode_as(&input.plan_id, "JointPlan", "planId").gql()?,
            assigned_agency_id: ids::decode_as(
                &input.assigned_agency_id,
                "Agency",
                "assignedAgencyId",
            )
            .gql()?,
            kind: input.kind,
            description: input.description,
            due_on: input.due_on.map(Into::into),
            consult: agency_ids(&input.consult, "consult")?,
            addresses_need_ids: input
                .addresses_need_ids
                .iter()
                .map(|id| ids::decode_as(id, "AssessmentNeed", "addressesNeedIds"))
                .collect::<Result<_, _>>()
                .gql()?,
        };
        let added = domain::actions::add(db(ctx)?, caller(ctx)?, new)
            .await
            .gql()?;
        Ok(AddPlanActionPayload {
            action: PlanAction(added.action),
        })
    }

    /// Moves an action to a new status (the assigned agency, or a `COORDINATOR` of the
    /// lead agency); it cannot start before its consultations are agreed or overridden.
    async fn update_plan_action_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action and the status to move it to.")]
        input: UpdatePlanActionStatusInput,
    ) -> async_graphql::Result<UpdatePlanActionStatusPayload> {
        let action = ids::decode_as(&input.action_id, "PlanAction", "actionId").gql()?;
        let saved = domain::actions::update_status(
            db(ctx)?,
            caller(ctx)?,
            action,
            input.status,
            input.expected_version,
        )
        .await
        .gql()?;
        Ok(UpdatePlanActionStatusPayload {
            action: PlanAction(saved),
        })
    }

    /// Answers a consultation (`AGENCY_LEAD` or `COORDINATOR` of the consulted agency); an
    /// objection blocks the action.
    async fn respond_to_consultation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The consultation, the answer and a note.")]
        input: RespondToConsultationInput,
    ) -> async_graphql::Result<ConsultationPayload> {
        let response = match input.response {
            ConsultationResponse::Agreed => ConsultationStatus::Agreed,
            ConsultationResponse::Objected => ConsultationStatus::Objected,
        };
        let saved = domain::consultations::respond(
            db(ctx)?,
            caller(ctx)?,
            consultation_id(&input.consultation_id)?,
            response,
            input.note,
            input.expected_version,
        )
        .await
        .gql()?;
        Ok(ConsultationPayload {
            consultation: Consultation(saved),
        })
    }

    /// Lets an action go ahead despite an objection or a missing answer, with a reason
    /// (`COORDINATOR` of the plan's lead agency); audited and sent as an event.
    async fn override_consultation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The consultation to override and why.")] input: OverrideConsultationInput,
    ) -> async_graphql::Result<ConsultationPayload> {
        let saved = domain::consultations::override_consultation(
            db(ctx)?,
            caller(ctx)?,
            consultation_id(&input.consultation_id)?,
            &input.reason,
            input.expected_version,
        )
        .await
        .gql()?;
        Ok(ConsultationPayload {
            consultation: Consultation(saved),
        })
    }
}
