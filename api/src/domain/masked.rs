//! Restricted content, masked before it leaves the domain (`docs/access.md`).
//!
//! A [`Masked`] row is what GraphQL gets for a behaviour or chronology entry. When the
//! caller may not read the content, the content fields of the row itself are blanked
//! here, so that a resolver that reads them anyway cannot leak anything; the proper
//! `null` comes from [`Masked::content`].

use entity::enums::{AgencyIds, ContactType, Continuum, Indicators, Setting};
use entity::{assessment_contributions, behaviours, chronology_entries};
use uuid::Uuid;

use super::Caller;
use crate::policy::{self, RestrictedContent};

/// A row whose content fields can be blanked.
pub trait Maskable: RestrictedContent {
    /// Blanks every content field.
    fn blank(&mut self);
    /// Whether the row was marked entered in error: its content is then withheld from
    /// every agency but the one that recorded it.
    fn entered_in_error(&self) -> bool {
        false
    }
}

impl Maskable for behaviours::Model {
    fn blank(&mut self) {
        self.setting = Setting::Other;
        self.contact_type = ContactType::NonContact;
        self.description = String::new();
        self.continuum = Continuum::Normal;
        self.indicators = Indicators(vec![]);
        self.classification_rationale = None;
        self.shared_with = AgencyIds(vec![]);
        self.entered_in_error_reason = None;
    }
    fn entered_in_error(&self) -> bool {
        self.entered_in_error_at.is_some()
    }
}

impl Maskable for chronology_entries::Model {
    fn blank(&mut self) {
        self.summary = String::new();
        self.behaviour_id = None;
        self.shared_with = AgencyIds(vec![]);
        self.entered_in_error_reason = None;
    }
    fn entered_in_error(&self) -> bool {
        self.entered_in_error_at.is_some()
    }
}

impl Maskable for assessment_contributions::Model {
    fn blank(&mut self) {
        self.concerns = None;
        self.strengths = None;
        self.level = None;
        self.sources = None;
        self.shared_with = AgencyIds(vec![]);
    }
}

/// A row as one caller may see it.
#[derive(Clone, Debug)]
pub struct Masked<T> {
    row: T,
    readable: bool,
}

impl<T: Maskable> Masked<T> {
    /// The row as `caller` sees it, given the child's lead agency.
    pub fn for_caller(caller: &Caller, mut row: T, lead_agency: Option<Uuid>) -> Self {
        let readable = policy::can_read_content(&caller.actor, &row, lead_agency)
            && (!row.entered_in_error() || caller.actor.agency_id == row.recording_agency());
        if !readable {
            row.blank();
        }
        Self { row, readable }
    }

    /// The row as its recording agency sees it, just written.
    pub fn recorded(row: T) -> Self {
        Self {
            row,
            readable: true,
        }
    }

    /// True when the content is withheld.
    pub fn restricted(&self) -> bool {
        !self.readable
    }

    /// The row with its content, when the caller may read it.
    pub fn content(&self) -> Option<&T> {
        self.readable.then_some(&self.row)
    }

    /// The fields everyone on the case team sees (content fields blanked when withheld).
    pub fn row(&self) -> &T {
        &self.row
    }
}
