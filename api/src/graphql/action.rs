//! `PlanAction`, `Consultation`, `myConsultations` and the action mutations.

use super::scalars::{Date, DateTime};
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use entity::enums::{ActionKind, ActionStatus, ConsultationStatus};
use entity::{consultations, plan_actions};

use super::agency::Agency;
use super::limits::size;
use super::limits::{MaxChars, MaxItems};
use super::plan::JointPlan;
use super::{agency_by_id, agency_ids, caller, db, ids};
use crate::domain;
use crate::error::IntoGql;

/// Work a plan assigns to one of its member agencies.
pub struct PlanAction(pub plan_actions::Model);

#[Object]
impl PlanAction {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("PlanAction", self.0.id)
    }
    /// The plan.
    async fn plan(&self, ctx: &Context<'_>) -> async_graphql::Result<JointPlan> {
        Ok(JointPlan(
            domain::plans::read_audited(db(ctx)?, caller(ctx)?, self.0.plan_id)
                .await
                .gql()?,
        ))
    }
    /// The agency that does it.
    async fn assigned_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.assigned_agency_id).await
    }
    /// What it is.
    async fn kind(&self) -> ActionKind {
        self.0.kind
    }
    /// What exactly.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// By when.
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Into::into)
    }
    /// Where it is in its life.
    async fn status(&self) -> ActionStatus {
        self.0.status
    }
    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was added.
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }
    /// The agencies consulted before it may start.
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

/// One agency of the other sector asked to agree an action (DESIGN §4.3).
pub struct Consultation(pub consultations::Model);

#[Object]
impl Consultation {
    /// Global id.
    pub async fn id(&self) -> ID {
        ids::encode("Consultation", self.0.id)
    }
    /// The action.
    async fn action(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PlanAction>> {
        let _slot = super::db_slot(ctx).await?;
        Ok(
            domain::actions::read_audited(db(ctx)?, caller(ctx)?, self.0.action_id)
                .await
                .gql()?
                .map(PlanAction),
        )
    }
    /// The consulted agency.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        agency_by_id(ctx, self.0.agency_id).await
    }
    /// `REQUESTED`, `AGREED`, `OBJECTED` or `OVERRIDDEN`.
    async fn status(&self) -> ConsultationStatus {
        self.0.status
    }
    /// The consulted agency's note.
    async fn response_note(&self) -> Option<&str> {
        self.0.response_note.as_deref()
    }
    /// Who answered.
    async fn responded_by(&self) -> Option<&str> {
        self.0.responded_by.as_deref()
    }
    /// When.
    async fn responded_at(&self) -> Option<DateTime> {
        self.0.responded_at.map(Into::into)
    }
    /// Why a coordinator overrode it.
    async fn override_reason(&self) -> Option<&str> {
        self.0.override_reason.as_deref()
    }
    /// Who overrode it.
    async fn overridden_by(&self) -> Option<&str> {
        self.0.overridden_by.as_deref()
    }
    /// When.
    async fn overridden_at(&self) -> Option<DateTime> {
        self.0.overridden_at.map(Into::into)
    }
    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// How a consulted agency answers.
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
    /// Consultations awaiting (or, with `status`, in that state for) the caller's agency.
    #[graphql(complexity = "size::MY_CONSULTATIONS * child_complexity")]
    async fn my_consultations(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(ConsultationStatus::Requested)")] status: Option<
            ConsultationStatus,
        >,
    ) -> async_graphql::Result<Vec<Consultation>> {
        let rows = domain::consultations::mine(db(ctx)?, caller(ctx)?, status)
            .await
            .gql()?;
        Ok(rows.into_iter().map(Consultation).collect())
    }
}

/// Input of `addPlanAction`.
#[derive(InputObject)]
pub struct AddPlanActionInput {
    /// The plan.
    pub plan_id: ID,
    /// The member agency that will do it.
    pub assigned_agency_id: ID,
    /// What it is.
    pub kind: ActionKind,
    /// What exactly.
    #[graphql(validator(custom = "MaxChars::new(\"description\", 10000)"))]
    pub description: String,
    /// By when.
    pub due_on: Option<Date>,
    /// Member agencies to consult besides those the consultation rule names.
    #[graphql(default, validator(custom = "MaxItems::new(\"consult\", 50)"))]
    pub consult: Vec<ID>,
}

/// Result of `addPlanAction`.
#[derive(SimpleObject)]
pub struct AddPlanActionPayload {
    /// The new action.
    pub action: PlanAction,
}

/// Input of `updatePlanActionStatus`.
#[derive(InputObject)]
pub struct UpdatePlanActionStatusInput {
    /// The action.
    pub action_id: ID,
    /// The new status.
    pub status: ActionStatus,
    /// The action version the client read.
    pub expected_version: i32,
}

/// Result of `updatePlanActionStatus`.
#[derive(SimpleObject)]
pub struct UpdatePlanActionStatusPayload {
    /// The action as saved.
    pub action: PlanAction,
}

/// Input of `respondToConsultation`.
#[derive(InputObject)]
pub struct RespondToConsultationInput {
    /// The consultation.
    pub consultation_id: ID,
    /// `AGREED` or `OBJECTED`.
    pub response: ConsultationResponse,
    /// Why (required with an objection).
    #[graphql(validator(custom = "MaxChars::new(\"note\", 2000)"))]
    pub note: Option<String>,
    /// The consultation version the client read.
    pub expected_version: i32,
}

/// Input of `overrideConsultation`.
#[derive(InputObject)]
pub struct OverrideConsultationInput {
    /// The consultation.
    pub consultation_id: ID,
    /// Why the action goes ahead regardless (recorded and audited).
    #[graphql(validator(custom = "MaxChars::new(\"reason\", 2000)"))]
    pub reason: String,
    /// The consultation version the client read.
    pub expected_version: i32,
}

/// Result of the consultation mutations.
#[derive(SimpleObject)]
pub struct ConsultationPayload {
    /// The consultation as saved.
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
    /// Adds an action; a member of the plan adds its own, the lead coordinator any.
    async fn add_plan_action(
        &self,
        ctx: &Context<'_>,
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
        };
        let added = domain::actions::add(db(ctx)?, caller(ctx)?, new)
            .await
            .gql()?;
        Ok(AddPlanActionPayload {
            action: PlanAction(added.action),
        })
    }

    /// Moves an action on; it cannot start before its consultations are settled.
    async fn update_plan_action_status(
        &self,
        ctx: &Context<'_>,
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

    /// Answers a consultation (`AGENCY_LEAD` or `COORDINATOR` of the consulted agency).
    async fn respond_to_consultation(
        &self,
        ctx: &Context<'_>,
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

    /// Overrides a consultation with a reason (`COORDINATOR` of the plan's lead agency).
    async fn override_consultation(
        &self,
        ctx: &Context<'_>,
        input: OverrideConsultationInput,
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
