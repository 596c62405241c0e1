//! What a new coordinator loads (SEMANTICS-4 §A, §D.3): a classic group lives in
//! `__consumer_offsets` as its last `GroupMetadata` record, written when a generation's
//! assignment is stored (the leader's SyncGroup) and when the group turns Empty, and the
//! offsets as their own records. A rebalance in progress is in no record: the broker that
//! loads the group (Kafka 4.4's `GroupMetadataManager.onLoaded`) has the last generation,
//! Stable (or Empty), its members and their assignment, and restarts every member's
//! session. A member that joined in the lost rebalance is unknown there; one that had sent
//! JoinGroup or was waiting on SyncGroup has its request fail (`NOT_COORDINATOR`) and
//! sends it again to the new coordinator, which starts the rebalance anew.

use super::Engine;
use crate::engine::consumer::ClassicMembership;
use crate::engine::event::Event;
use crate::engine::group::Group;
use crate::engine::GroupState;

impl Engine {
    /// Keeps, for every classic group that reached Stable or Empty in this moment's
    /// `events`, what its `GroupMetadata` record holds now. Only in a cluster (on one broker
    /// the coordinator never moves).
    pub(crate) fn note_group_records(&mut self, events: &[Event]) {
        if self.cluster.is_none() {
            return;
        }
        for event in events {
            let Event::GroupStateChanged { group, to, .. } = event else {
                continue;
            };
            if !matches!(to, GroupState::Stable | GroupState::Empty) {
                continue;
            }
            let Some(g) = self.groups.get(group) else {
                continue;
            };
            if g.state != *to || g.has_modern_members() {
                continue;
            }
            let mut record = g.clone();
            // Offsets are records of their own, and the diagram's history is no record.
            record.committed.clear();
            record.lag_history.clear();
            if let Some(cluster) = self.cluster.as_mut() {
                cluster.group_records.insert(group.clone(), record);
            }
        }
    }

    /// A new coordinator loaded classic group `group_id` while a rebalance was in progress
    /// on the old one: the group is what its last record says, the offsets as they were
    /// committed, and the clients whose join or sync went to the old coordinator send it
    /// again. Nothing to do for a group that was Stable or Empty.
    pub(super) fn load_group_record(&mut self, group_id: &str) -> Vec<Event> {
        let now = self.tick;
        let Some(live) = self.groups.get(group_id) else {
            return Vec::new();
        };
        if live.has_modern_members()
            || !matches!(
                live.state,
                GroupState::PreparingRebalance | GroupState::CompletingRebalance
            )
        {
            return Vec::new();
        }
        let record = self
            .cluster
            .as_ref()
            .and_then(|c| c.group_records.get(group_id))
            .cloned()
            .unwrap_or_else(|| Group::new(group_id.to_string()));
        let from = live.state;
        let mut loaded = record;
        loaded.committed = live.committed.clone();
        loaded.lag_history = live.lag_history.clone();
        loaded.unowned_since_tick = live.unowned_since_tick.clone();
        loaded.unowned_ticks_since_join = live.unowned_ticks_since_join;
        loaded.rebalance = None;
        loaded.join_completed_tick = None;
        for m in &mut loaded.members {
            m.last_heartbeat_tick = now;
        }
        let to = loaded.state;
        let generation = loaded.generation;
        let members = loaded.members.len();
        let known: Vec<String> = loaded.members.iter().map(|m| m.member_id.clone()).collect();
        self.groups.insert(group_id.to_string(), loaded);
        let mut retried = Vec::new();
        for c in self.consumers.values_mut() {
            if c.group.as_deref() != Some(group_id) || c.modern.is_some() {
                continue;
            }
            let member_id = match &c.membership {
                ClassicMembership::Joining { member_id, .. }
                | ClassicMembership::Syncing { member_id, .. } => member_id.clone(),
                _ => continue,
            };
            c.membership = if known.contains(&member_id) {
                // Its JoinGroup or SyncGroup failed: it is still a member of the loaded
                // generation, and sends JoinGroup again.
                ClassicMembership::Stable {
                    member_id,
                    generation,
                    rejoin_needed: false,
                }
            } else {
                // Unknown to the loaded group: it joins again as a new member.
                ClassicMembership::Unjoined
            };
            retried.push(c.client_id.clone());
        }
        let mut events = vec![
            Event::GroupStateChanged {
                group: group_id.to_string(),
                from,
                to,
            },
            Event::GroupRebalanceLost {
                group: group_id.to_string(),
                generation,
                members,
            },
        ];
        // The failed request is retried at once on the coordinator FindCoordinator finds
        // (on Kafka 4.4 the group is PreparingRebalance again before the tool can look).
        for client_id in retried {
            let (_, noticed) = self.reach_coordinator(&client_id);
            events.extend(noticed);
            events.extend(self.join_group(&client_id));
        }
        events
    }
}
