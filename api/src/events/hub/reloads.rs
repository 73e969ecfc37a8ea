//! Keeping each agency's reach current: the relay marks the agencies whose memberships
//! changed and reloads their reaches before it dispatches further, and reloads any reach
//! older than [`REACH_TTL`] beside the dispatch, installing what it read unless a newer
//! change overtook it.

use std::collections::HashSet;
use std::sync::Arc;

use uuid::Uuid;

use super::{Hub, REACH_TTL};
use crate::auth::Actor;
use crate::events::reach::AgencyReach;

impl Hub {
    /// The relay read that `agencies`' memberships changed: their reaches are reloaded
    /// before anything further is dispatched.
    pub(in crate::events) fn mark_changed(&self, agencies: &HashSet<Uuid>) {
        let mut registry = self.lock();
        registry.epoch += 1;
        for agency in agencies {
            if let Some(subs) = registry.agencies.get_mut(agency) {
                subs.stale = true;
            }
        }
    }

    /// The agencies whose reach must be reloaded before anything further is dispatched:
    /// those the outbox said changed.
    pub(in crate::events) fn due_reloads(&self) -> Vec<(Uuid, Actor)> {
        self.lock()
            .agencies
            .iter()
            .filter(|(_, subs)| subs.stale)
            .map(|(agency, subs)| (*agency, subs.actor.clone()))
            .collect()
    }

    /// The agencies whose reach is older than [`REACH_TTL`] with no sign of change, now
    /// marked as being reloaded, with the epoch to install the reloads at. Reloading
    /// them is a safety net for changes made outside the service, so it does not hold up
    /// the dispatch: reading every agency's reach in turn stalled every subscriber for
    /// seconds once a minute.
    pub(in crate::events) fn expired_reloads(&self) -> (u64, Vec<(Uuid, Actor)>) {
        let mut registry = self.lock();
        let epoch = registry.epoch;
        let due = registry
            .agencies
            .iter_mut()
            .filter(|(_, subs)| {
                !subs.stale && !subs.refreshing && subs.reach.loaded_at.elapsed() >= REACH_TTL
            })
            .map(|(agency, subs)| {
                subs.refreshing = true;
                (*agency, subs.actor.clone())
            })
            .collect();
        (epoch, due)
    }

    /// Installs a reach the relay reloaded, ending the subscribers it no longer allows.
    pub(in crate::events) fn install(&self, agency: Uuid, loaded: AgencyReach) {
        let mut registry = self.lock();
        if let Some(subs) = registry.agencies.get_mut(&agency) {
            subs.reach = Arc::new(loaded);
            subs.stale = false;
            subs.prune();
            if subs.is_empty() {
                registry.agencies.remove(&agency);
            }
        }
    }

    /// Installs a reach reloaded past [`REACH_TTL`] (`None`: the reload failed, it is due
    /// again), unless a membership change was read since `epoch`: then the relay reloads
    /// it before dispatching further, and this older read must not replace that one.
    pub(in crate::events) fn refresh(&self, agency: Uuid, epoch: u64, loaded: Option<AgencyReach>) {
        let mut registry = self.lock();
        let current = registry.epoch;
        if let Some(subs) = registry.agencies.get_mut(&agency) {
            subs.refreshing = false;
            if let Some(loaded) = loaded
                && current == epoch
                && !subs.stale
            {
                subs.reach = Arc::new(loaded);
                subs.prune();
                if subs.is_empty() {
                    registry.agencies.remove(&agency);
                }
            }
        }
    }
}
