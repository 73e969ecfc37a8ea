//! `docs/access.md`: who reads restricted content, and who sees an affected child's identity.

use entity::enums::{AgencyKind, Sensitivity};
use uuid::Uuid;

use crate::auth::Actor;

/// What the policy needs to know about an entry that may be restricted (`docs/access.md`).
pub trait RestrictedContent {
    /// `STANDARD` or `RESTRICTED`.
    fn sensitivity(&self) -> Sensitivity;
    /// The agency that recorded it.
    fn recording_agency(&self) -> Uuid;
    /// The agencies it is shared with.
    fn shared_with(&self) -> &[Uuid];
}

impl RestrictedContent for entity::behaviours::Model {
    fn sensitivity(&self) -> Sensitivity {
        self.sensitivity
    }
    fn recording_agency(&self) -> Uuid {
        self.agency_id
    }
    fn shared_with(&self) -> &[Uuid] {
        &self.shared_with.0
    }
}

impl RestrictedContent for entity::chronology_entries::Model {
    fn sensitivity(&self) -> Sensitivity {
        self.sensitivity
    }
    fn recording_agency(&self) -> Uuid {
        self.agency_id
    }
    fn shared_with(&self) -> &[Uuid] {
        &self.shared_with.0
    }
}

impl RestrictedContent for entity::assessment_contributions::Model {
    fn sensitivity(&self) -> Sensitivity {
        self.sensitivity
    }
    fn recording_agency(&self) -> Uuid {
        self.agency_id
    }
    fn shared_with(&self) -> &[Uuid] {
        &self.shared_with.0
    }
}

/// `docs/access.md`: who reads the content of an entry: anyone on the case team when it is
/// standard; the recording agency, those it is shared with and the lead agency when it
/// is restricted.
pub fn can_read_content(
    actor: &Actor,
    entry: &impl RestrictedContent,
    lead_agency: Option<Uuid>,
) -> bool {
    match entry.sensitivity() {
        Sensitivity::Standard => true,
        Sensitivity::Restricted => {
            actor.agency_id == entry.recording_agency()
                || entry.shared_with().contains(&actor.agency_id)
                || lead_agency == Some(actor.agency_id)
        }
    }
}

/// `docs/access.md`: who sees an affected child's identity.
pub fn can_see_affected_identity(actor: &Actor, recording_agency: Uuid) -> bool {
    matches!(
        actor.agency_kind,
        AgencyKind::ChildrensSocialCare | AgencyKind::Police
    ) || actor.agency_id == recording_agency
}
