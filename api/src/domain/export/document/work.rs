//! The casework sections of the export: joint plans, assessments, referrals, disclosure
//! requests, deadlines and emergency access grants.

use entity::deadline_notes;
use entity::enums::DisclosureEntryKind;
use serde_json::{Value, json};

use super::lifecycle::history;
use super::{Agencies, Held, at, at_opt, day, day_opt, entry_marks, gid, has_text, name};
use crate::graphql::ids;

pub(super) fn plans(held: &Held, agencies: &Agencies<'_>) -> Value {
    held.plans
        .iter()
        .map(|p| {
            let members: Vec<Value> = held
                .members
                .iter()
                .filter(|m| m.plan_id == p.id)
                .map(|m| {
                    json!({
                        "agency": agencies.of(m.agency_id),
                        "addedAt": at(m.created_at),
                        "removedAt": at_opt(m.removed_at),
                    })
                })
                .collect();
            let actions: Vec<Value> = held
                .actions
                .iter()
                .filter(|a| a.plan_id == p.id)
                .map(|a| action(held, agencies, a))
                .collect();
            let reviews: Vec<Value> = held
                .reviews
                .iter()
                .filter(|r| r.plan_id == p.id)
                .map(|r| {
                    json!({
                        "id": gid("PlanReview", r.id),
                        "heldOn": day(r.held_on),
                        "attendingAgencies": agencies.list(&r.attending_agencies.0),
                        "summary": r.summary,
                        "nextReviewDue": day_opt(r.next_review_due),
                        "recordedBy": r.recorded_by,
                        "recordedAt": at(r.created_at),
                        "reviewBeforeDisclosure": has_text(&[Some(&r.summary)]),
                        "history": history(held, agencies, "PlanReview", r.id),
                    })
                })
                .collect();
            json!({
                "id": gid("JointPlan", p.id),
                "title": p.title,
                "status": name(p.status),
                "pathway": name(p.pathway),
                "leadAgency": agencies.of(p.lead_agency_id),
                "riskSummary": p.risk_summary,
                "nextReviewDue": day_opt(p.next_review_due),
                "activatedAt": at_opt(p.activated_at),
                "closedAt": at_opt(p.closed_at),
                "reviewBeforeDisclosure": has_text(&[Some(&p.title), p.risk_summary.as_deref()]),
                "history": history(held, agencies, "JointPlan", p.id),
                "members": members,
                "actions": actions,
                "reviews": reviews,
                "version": p.version,
                "createdAt": at(p.created_at),
                "updatedAt": at(p.updated_at),
            })
        })
        .collect()
}

pub(super) fn action(
    held: &Held,
    agencies: &Agencies<'_>,
    a: &entity::plan_actions::Model,
) -> Value {
    let consultations: Vec<Value> = held
        .consultations
        .iter()
        .filter(|c| c.action_id == a.id)
        .map(|c| {
            json!({
                "id": gid("Consultation", c.id),
                "agency": agencies.of(c.agency_id),
                "status": name(c.status),
                "responseNote": c.response_note,
                "respondedBy": c.responded_by,
                "respondedAt": at_opt(c.responded_at),
                "overrideReason": c.override_reason,
                "overriddenBy": c.overridden_by,
                "overriddenAt": at_opt(c.overridden_at),
                "reviewBeforeDisclosure":
                    has_text(&[c.response_note.as_deref(), c.override_reason.as_deref()]),
            })
        })
        .collect();
    let needs: Vec<String> = held
        .action_needs
        .iter()
        .filter(|n| n.action_id == a.id)
        .map(|n| gid("AssessmentNeed", n.need_id))
        .collect();
    json!({
        "id": gid("PlanAction", a.id),
        "kind": name(a.kind),
        "assignedAgency": agencies.of(a.assigned_agency_id),
        "description": a.description,
        "dueOn": day_opt(a.due_on),
        "status": name(a.status),
        "createdBy": a.created_by,
        "createdAt": at(a.created_at),
        "updatedAt": at(a.updated_at),
        "needIds": needs,
        "consultations": consultations,
        "reviewBeforeDisclosure": has_text(&[Some(&a.description)]),
        "history": history(held, agencies, "PlanAction", a.id),
    })
}

pub(super) fn assessments(held: &Held, agencies: &Agencies<'_>) -> Value {
    held.assessments
        .iter()
        .map(|s| {
            let contributions: Vec<Value> = held
                .contributions
                .iter()
                .filter(|c| c.assessment_id == s.id)
                .map(|c| {
                    let (restricted, review, recording) = entry_marks(
                        c.sensitivity,
                        has_text(&[
                            c.concerns.as_deref(),
                            c.strengths.as_deref(),
                            c.sources.as_deref(),
                        ]),
                        agencies.of(c.agency_id),
                    );
                    json!({
                        "id": gid("AssessmentContribution", c.id),
                        "recordingAgency": recording,
                        "domain": c.domain,
                        "status": name(c.status),
                        "requestedBy": c.requested_by,
                        "requestedAt": at(c.requested_at),
                        "concerns": c.concerns,
                        "strengths": c.strengths,
                        "level": c.level.map(name),
                        "sources": c.sources,
                        "sensitivity": name(c.sensitivity),
                        "sharedWith": agencies.list(&c.shared_with.0),
                        "history": history(held, agencies, "AssessmentContribution", c.id),
                        "contributedBy": c.contributed_by,
                        "contributedAt": at_opt(c.contributed_at),
                        "restricted": restricted,
                        "reviewBeforeDisclosure": review,
                    })
                })
                .collect();
            let needs: Vec<Value> = held
                .needs
                .iter()
                .filter(|n| n.assessment_id == s.id)
                .map(|n| {
                    json!({
                        "id": gid("AssessmentNeed", n.id),
                        "domain": n.domain,
                        "statement": n.statement,
                        "position": n.position,
                        "reviewBeforeDisclosure": has_text(&[Some(&n.statement)]),
                    })
                })
                .collect();
            json!({
                "id": gid("Assessment", s.id),
                "framework": {
                    "code": s.framework_code,
                    "version": s.framework_version,
                    "name": s.framework_name,
                    "minAge": s.framework_min_age,
                    "maxAge": s.framework_max_age,
                    "domains": name(&s.domains),
                },
                "leadAgency": agencies.of(s.lead_agency_id),
                "startedBy": s.started_by,
                "startedAt": at(s.started_at),
                "dueOn": day(s.due_on),
                "status": name(s.status),
                "supersedesId": s.supersedes_id.map(|id| gid("Assessment", id)),
                "formulation": s.formulation,
                "hsbConcern": s.hsb_concern.map(name),
                "levelOfNeed": s.level_of_need.map(name),
                "recommendedPathway": s.recommended_pathway.map(name),
                "interventionIntensity": s.intervention_intensity.map(name),
                "completedBy": s.completed_by,
                "completedAt": at_opt(s.completed_at),
                "completedOn": day_opt(s.completed_on),
                "reviewBeforeDisclosure": has_text(&[s.formulation.as_deref()]),
                "contributions": contributions,
                "needs": needs,
                "version": s.version,
            })
        })
        .collect()
}

pub(super) fn referrals(held: &Held, agencies: &Agencies<'_>) -> Value {
    held.referrals
        .iter()
        .map(|r| {
            json!({
                "id": gid("Referral", r.id),
                "referringAgency": agencies.of(r.referring_agency_id),
                "referredBy": r.referred_by,
                "reason": r.reason,
                "referredAt": at(r.referred_at),
                "status": name(r.status),
                "decisionNote": r.decision_note,
                "decidedBy": r.decided_by,
                "decidingAgency": agencies.of_opt(r.deciding_agency_id),
                "decidedAt": at_opt(r.decided_at),
                "reviewBeforeDisclosure":
                    has_text(&[Some(&r.reason), r.decision_note.as_deref()]),
                "history": history(held, agencies, "Referral", r.id),
            })
        })
        .collect()
}

pub(super) fn disclosures(held: &Held, agencies: &Agencies<'_>) -> Value {
    held.disclosures
        .iter()
        .map(|d| {
            let entry_type = match d.entry_kind {
                DisclosureEntryKind::Behaviour => "Behaviour",
                DisclosureEntryKind::ChronologyEntry => "ChronologyEntry",
                DisclosureEntryKind::AssessmentContribution => "AssessmentContribution",
            };
            json!({
                "id": gid("DisclosureRequest", d.id),
                "entryKind": name(d.entry_kind),
                "entryId": gid(entry_type, d.entry_id),
                "recordingAgency": agencies.of(d.recording_agency_id),
                "requestingAgency": agencies.of(d.requesting_agency_id),
                "requestedBy": d.requested_by,
                "reason": d.reason,
                "requestedAt": at(d.requested_at),
                "status": name(d.status),
                "decisionReason": d.decision_reason,
                "decidedBy": d.decided_by,
                "decidedAt": at_opt(d.decided_at),
                "reviewBeforeDisclosure":
                    has_text(&[Some(&d.reason), d.decision_reason.as_deref()]),
            })
        })
        .collect()
}

pub(super) fn deadlines(held: &Held, agencies: &Agencies<'_>) -> Value {
    let late = |n: &deadline_notes::Model| {
        json!({
            "agency": agencies.of(n.agency_id),
            "reason": n.reason,
            "recordedBy": n.recorded_by,
            "recordedAt": at(n.created_at),
            "reviewBeforeDisclosure": has_text(&[Some(&n.reason)]),
        })
    };
    held.deadlines
        .iter()
        .map(|d| {
            let reasons: Vec<Value> = held
                .late_reasons
                .iter()
                .filter(|n| n.deadline_id == d.id)
                .map(late)
                .collect();
            json!({
                "id": ids::encode_pair("Deadline", d.id, d.child_id).0,
                "kind": d.kind,
                "responsibleAgency": agencies.of_opt(d.responsible_agency_id),
                "startedAt": at(d.started_at),
                "dueAt": at(d.due_at),
                "metAt": at_opt(d.met_at),
                "lateReasons": reasons,
            })
        })
        .collect()
}

pub(super) fn grants(held: &Held, agencies: &Agencies<'_>) -> Value {
    held.grants
        .iter()
        .map(|g| {
            json!({
                "agency": agencies.of(g.agency_id),
                "subject": g.subject,
                "reason": g.reason,
                "grantedAt": at(g.created_at),
                "expiresAt": at(g.expires_at),
                "reviewBeforeDisclosure": has_text(&[Some(&g.reason)]),
            })
        })
        .collect()
}
