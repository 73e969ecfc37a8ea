//! The consultation rule (`docs/product.md`) as pure functions: who must be consulted, when
//! an action may go ahead, and how its status follows its consultations.

use std::collections::BTreeSet;

use entity::consultations;
use entity::enums::{ActionKind, ActionStatus, AgencyKind, ConsultationStatus};
use uuid::Uuid;

use crate::policy::{sector, sector_to_consult};

/// The agencies an action of `kind` assigned to `assigned` must consult: each member
/// agency of the other sector, plus those named in `extra`, never the assigned agency.
pub fn agencies_to_consult(
    kind: ActionKind,
    assigned: Uuid,
    members: &[(Uuid, AgencyKind)],
    extra: &[Uuid],
) -> BTreeSet<Uuid> {
    let mut consulted: BTreeSet<Uuid> = match sector_to_consult(kind) {
        Some(other) => members
            .iter()
            .filter(|(_, kind)| sector(*kind) == other)
            .map(|(id, _)| *id)
            .collect(),
        None => BTreeSet::new(),
    };
    consulted.extend(extra.iter().copied());
    consulted.remove(&assigned);
    consulted
}

/// Whether every consultation lets the action start.
pub fn all_settled(consultations: &[consultations::Model]) -> bool {
    consultations.iter().all(|c| {
        matches!(
            c.status,
            ConsultationStatus::Agreed | ConsultationStatus::Overridden
        )
    })
}

/// The status an action moves to by itself after its consultations change: `BLOCKED` on
/// an objection, `AGREED` once all are settled, back to awaiting when an objection was
/// overridden but others are still open.
pub fn status_after_consultation(
    current: ActionStatus,
    statuses: &[ConsultationStatus],
) -> Option<ActionStatus> {
    if !matches!(
        current,
        ActionStatus::AwaitingConsultation | ActionStatus::Blocked | ActionStatus::Proposed
    ) {
        return None;
    }
    let next = if statuses.contains(&ConsultationStatus::Objected) {
        ActionStatus::Blocked
    } else if statuses.contains(&ConsultationStatus::Requested) {
        ActionStatus::AwaitingConsultation
    } else if current == ActionStatus::Proposed {
        return None;
    } else {
        ActionStatus::Agreed
    };
    (next != current).then_some(next)
}

/// Whether a client may move an action from `from` to `to` (consultations aside).
pub fn transition_allowed(from: ActionStatus, to: ActionStatus) -> bool {
    use ActionStatus::*;
    matches!(
        (from, to),
        (
            Proposed | AwaitingConsultation | Blocked,
            Agreed | InProgress | Cancelled
        ) | (Agreed, InProgress | Cancelled)
            | (InProgress, Done | Cancelled)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionStatus::*;
    use ConsultationStatus as C;

    #[test]
    fn an_objection_blocks_and_settling_agrees() {
        assert_eq!(
            status_after_consultation(AwaitingConsultation, &[C::Objected, C::Requested]),
            Some(Blocked)
        );
        assert_eq!(
            status_after_consultation(AwaitingConsultation, &[C::Agreed, C::Requested]),
            None
        );
        assert_eq!(
            status_after_consultation(AwaitingConsultation, &[C::Agreed, C::Overridden]),
            Some(Agreed)
        );
        assert_eq!(
            status_after_consultation(Blocked, &[C::Overridden]),
            Some(Agreed)
        );
        assert_eq!(
            status_after_consultation(Blocked, &[C::Overridden, C::Requested]),
            Some(AwaitingConsultation)
        );
        assert_eq!(status_after_consultation(InProgress, &[C::Objected]), None);
        assert_eq!(status_after_consultation(Proposed, &[]), None);
    }

    #[test]
    fn the_other_sector_is_consulted_but_never_the_assigned_agency() {
        let (police, school, camhs) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let members = [
            (police, AgencyKind::Police),
            (school, AgencyKind::Education),
            (camhs, AgencyKind::Camhs),
        ];
        let charging = agencies_to_consult(ActionKind::ChargingDecision, police, &members, &[]);
        assert_eq!(charging, [school, camhs].into());
        let placement = agencies_to_consult(ActionKind::PlacementChange, school, &members, &[]);
        assert_eq!(placement, [police].into());
        let plain = agencies_to_consult(ActionKind::Assessment, school, &members, &[camhs, school]);
        assert_eq!(plain, [camhs].into());
    }

    #[test]
    fn transitions_follow_the_life_of_an_action() {
        assert!(transition_allowed(Proposed, InProgress));
        assert!(transition_allowed(Agreed, InProgress));
        assert!(transition_allowed(InProgress, Done));
        assert!(!transition_allowed(Proposed, Done));
        assert!(!transition_allowed(Done, InProgress));
        assert!(!transition_allowed(Cancelled, Proposed));
        assert!(!transition_allowed(Proposed, Blocked));
        assert!(!transition_allowed(Agreed, AwaitingConsultation));
    }
}
