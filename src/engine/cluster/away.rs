//! While a group's coordinator is away (SEMANTICS-4 §A, §D.3): a consumer's heartbeats,
//! commits, joins and syncs go to the broker FindCoordinator named. When another broker
//! coordinates the group now, the request fails with `NOT_COORDINATOR` and the client
//! finds the new one at once; when no running broker leads the group's
//! `__consumer_offsets` partition (its leader crashed and is not fenced yet, or every
//! replica is down) it fails with `COORDINATOR_NOT_AVAILABLE`: the client marks the
//! coordinator unknown (`AbstractCoordinator.markCoordinatorUnknown`) and keeps asking
//! FindCoordinator; nothing it sends the group gets through, so a commit meanwhile is not
//! applied and the classic consumer's `poll()` neither joins nor auto-commits
//! (`ConsumerCoordinator.poll` returns early while `coordinatorUnknownAndUnreadySync`).
//! Fetching goes on: records come from the partitions' leaders, not the coordinator.

use serde::{Deserialize, Serialize};

use super::coordinators::{coordinator_partition, OFFSETS_TOPIC};
use crate::engine::event::Event;
use crate::engine::replication::BrokerId;
use crate::engine::Engine;

/// Where a consumer believes its group's coordinator is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CoordinatorView {
    /// Not looked up yet: its first request finds the coordinator.
    #[default]
    Unknown,
    /// The broker FindCoordinator answered.
    Known(BrokerId),
    /// Marked unknown after `COORDINATOR_NOT_AVAILABLE`; rediscovery goes on.
    Lost,
}

impl Engine {
    /// Whether consumer `client_id` reaches its group's coordinator now, and what it noticed
    /// on the way (a coordinator lost, moved, or found again). Always reachable without a
    /// group or a cluster (every coordinator is node 1 there).
    pub(crate) fn reach_coordinator(&mut self, client_id: &str) -> (bool, Vec<Event>) {
        let Some(group) = self.consumers.get(client_id).and_then(|c| c.group.clone()) else {
            return (true, Vec::new());
        };
        if self
            .cluster
            .as_ref()
            .is_some_and(|c| !c.internal.contains_key(OFFSETS_TOPIC))
        {
            // The offsets topic is made at the end of this moment: nothing to find yet.
            return (true, Vec::new());
        }
        let now = self.group_coordinator(&group);
        let Some(c) = self.consumers.get_mut(client_id) else {
            return (true, Vec::new());
        };
        let partition = coordinator_partition(&group);
        let client_id = client_id.to_string();
        match (c.coordinator, now) {
            (CoordinatorView::Unknown, Some(b)) => {
                c.coordinator = CoordinatorView::Known(b);
                (true, Vec::new())
            }
            (CoordinatorView::Known(was), Some(b)) if was == b => (true, Vec::new()),
            (CoordinatorView::Known(was), Some(b)) => {
                c.coordinator = CoordinatorView::Known(b);
                let lost = Event::CoordinatorLost {
                    client_id,
                    group,
                    partition,
                    was,
                    now: Some(b),
                };
                (true, vec![lost])
            }
            (CoordinatorView::Known(was), None) => {
                c.coordinator = CoordinatorView::Lost;
                let lost = Event::CoordinatorLost {
                    client_id,
                    group,
                    partition,
                    was,
                    now: None,
                };
                (false, vec![lost])
            }
            (CoordinatorView::Lost, Some(broker)) => {
                c.coordinator = CoordinatorView::Known(broker);
                let found = Event::CoordinatorFound {
                    client_id,
                    group,
                    broker,
                };
                (true, vec![found])
            }
            (CoordinatorView::Unknown | CoordinatorView::Lost, None) => {
                c.coordinator = CoordinatorView::Lost;
                (false, Vec::new())
            }
        }
    }
}

/// Why a commit sent while the coordinator is away fails (the client's
/// `CoordinatorNotAvailableException`, a retriable error: the offsets are not committed).
pub const COMMIT_COORDINATOR_NOT_AVAILABLE: &str =
    "The coordinator is not available. (COORDINATOR_NOT_AVAILABLE: the offsets are not committed)";
