//! The online migration between the two group protocols (KIP-848 "upgrade and downgrade",
//! `GroupMetadataManager.classicGroupJoinToConsumerGroup`, `convertToConsumerGroup`,
//! `convertToClassicGroup`): a classic group becomes a consumer group when the first
//! consumer-protocol member joins it, its classic members stay and keep speaking JoinGroup,
//! SyncGroup and Heartbeat (the coordinator asks them to rejoin with REBALANCE_IN_PROGRESS
//! when their assignment must change), and the group turns classic again when its last
//! consumer-protocol member leaves. `group.consumer.migration.policy` says which ways are
//! allowed.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::coordinator::{forget_departed, settle_empty, step, Before, Refusal};
use super::{ModernGroupInfo, ModernMemberInfo, ModernStep};
use crate::engine::consumer::ClassicMembership;
use crate::engine::consumer_group::{
    Heartbeat, HeartbeatError, ModernMember, TopicInfo, LEAVE_EPOCH,
};
use crate::engine::coordinator::JoinRequest;
use crate::engine::event::{Event, LeaveReason};
use crate::engine::group::{GroupState, MemberJoin};
use crate::engine::reconcile::{EpochAssignment, MemberAssignment, MemberState};
use crate::engine::{Engine, TopicPartition};

/// `group.consumer.migration.policy`: which conversions between the protocols the
/// coordinator makes (`ConsumerGroupMigrationPolicy`; `bidirectional` by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrationPolicy {
    Disabled,
    Upgrade,
    Downgrade,
    #[default]
    Bidirectional,
}

impl MigrationPolicy {
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "disabled" => Some(Self::Disabled),
            "upgrade" => Some(Self::Upgrade),
            "downgrade" => Some(Self::Downgrade),
            "bidirectional" => Some(Self::Bidirectional),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Disabled => "disabled",
            Self::Upgrade => "upgrade",
            Self::Downgrade => "downgrade",
            Self::Bidirectional => "bidirectional",
        }
    }

    pub fn upgrade_enabled(self) -> bool {
        matches!(self, Self::Upgrade | Self::Bidirectional)
    }

    pub fn downgrade_enabled(self) -> bool {
        matches!(self, Self::Downgrade | Self::Bidirectional)
    }
}

/// Per topic id its partitions, from partitions by name (topics the image lacks dropped).
fn by_id(
    partitions: &[TopicPartition],
    topics: &BTreeMap<String, TopicInfo>,
) -> BTreeMap<String, BTreeSet<u32>> {
    let mut out: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for tp in partitions {
        if let Some(t) = topics.get(&tp.topic) {
            out.entry(t.id.clone()).or_default().insert(tp.partition);
        }
    }
    out
}

impl Engine {
    /// A consumer-protocol member's heartbeat reaches a classic group with members: the
    /// group is converted into a consumer group (`convertToConsumerGroup`) when the policy
    /// allows an upgrade. Its classic members keep their generation as member epoch and
    /// their assignment as target; the group epoch is the generation. `Ok` with the events
    /// of the conversion, `Err` with the joining member's failure.
    pub(super) fn upgrade_classic_group(&mut self, group_id: &str) -> Result<Vec<Event>, Refusal> {
        let now_ms = self.now_ms();
        let topics = self.metadata_image();
        let broker = self.broker.consumer_groups.clone();
        let Some(group) = self.groups.get_mut(group_id) else {
            return Ok(Vec::new());
        };
        if group.members.is_empty() {
            return Ok(Vec::new());
        }
        if !broker.migration_policy.upgrade_enabled() {
            // `validateOnlineUpgrade` refuses; the heartbeat fails with GROUP_ID_NOT_FOUND.
            return Err(Refusal::Fatal(format!(
                "GroupIdNotFoundException: Group {group_id} is not a consumer group."
            )));
        }
        let generation = group.generation;
        let mut info = ModernGroupInfo::new(group_id, broker.default_assignor());
        info.core.session_timeout_ms = broker.session_timeout_ms;
        info.core.group_epoch = generation;
        info.core.target_epoch = generation;
        let members = std::mem::take(&mut group.members);
        let classic_count = members.len();
        for m in members {
            let owned = by_id(&m.assignment, &topics);
            let assigned: EpochAssignment = owned
                .iter()
                .map(|(t, ps)| (t.clone(), ps.iter().map(|p| (*p, generation)).collect()))
                .collect();
            info.core.target.insert(m.member_id.clone(), owned);
            info.core.members.push(ModernMember {
                member_id: m.member_id.clone(),
                instance_id: m.group_instance_id.clone(),
                subscribed: m.topics.iter().cloned().collect(),
                assignment: MemberAssignment {
                    state: MemberState::Stable,
                    member_epoch: generation,
                    previous_member_epoch: -1,
                    assigned,
                    pending_revocation: EpochAssignment::new(),
                },
                last_heartbeat_ms: now_ms,
                away: false,
            });
            info.clients.insert(
                m.member_id.clone(),
                ModernMemberInfo {
                    client_id: m.client_id.clone(),
                    host: m.host.clone(),
                    rebalance_timeout_ms: m.rebalance_timeout_ms,
                    revoke_deadline_tick: None,
                    server_assignor: None,
                    classic: Some(m),
                },
            );
        }
        info.core.metadata = info.core.subscription_metadata(&topics);
        let previous_state = group.state;
        group.state = GroupState::Empty;
        group.leader = None;
        group.rebalance = None;
        group.join_completed_tick = None;
        group.modern = Some(info);
        // A classic member caught in the middle of a rebalance has its JoinGroup or
        // SyncGroup answered with REBALANCE_IN_PROGRESS: it joins again.
        let ids: Vec<String> = self
            .consumers
            .iter()
            .filter(|(_, c)| {
                c.group.as_deref() == Some(group_id) && !c.config.uses_consumer_protocol()
            })
            .map(|(id, _)| id.clone())
            .collect();
        for id in ids {
            if let Some(c) = self.consumers.get_mut(&id) {
                if let ClassicMembership::Joining { member_id, .. }
                | ClassicMembership::Syncing { member_id, .. } = &c.membership
                {
                    c.membership = ClassicMembership::Stable {
                        member_id: member_id.clone(),
                        generation,
                        rejoin_needed: true,
                    };
                }
            }
        }
        Ok(vec![step(
            group_id,
            ModernStep::Upgraded {
                generation,
                classic_members: classic_count,
                from_state: previous_state.name().to_string(),
            },
        )])
    }

    /// A classic member's heartbeat to a consumer group (`classicGroupHeartbeatToConsumerGroup`).
    /// `None` when the group is not a consumer group; `Some(None)` when the coordinator does
    /// not know the member (UNKNOWN_MEMBER_ID); `Some(Some(rejoin))` otherwise, `rejoin` when
    /// the answer is REBALANCE_IN_PROGRESS: its assignment must change.
    pub(in crate::engine) fn classic_heartbeat_to_consumer_group(
        &mut self,
        group_id: &str,
        member_id: &str,
    ) -> Option<Option<bool>> {
        let now_ms = self.now_ms();
        let info = self.groups.get_mut(group_id)?.modern.as_mut()?;
        if info.core.members.is_empty() {
            return None;
        }
        let target_epoch = info.core.target_epoch;
        let is_classic = info
            .clients
            .get(member_id)
            .is_some_and(|c| c.classic.is_some());
        let member = info
            .core
            .members
            .iter_mut()
            .find(|m| m.member_id == member_id)
            .filter(|_| is_classic);
        let Some(member) = member else {
            return Some(None);
        };
        member.last_heartbeat_ms = now_ms;
        Some(Some(
            member.assignment.member_epoch != target_epoch
                || member.assignment.state != MemberState::Stable,
        ))
    }

    /// A classic member's JoinGroup to a consumer group with members
    /// (`classicGroupJoinToConsumerGroup`): the member (new, or known and rejoining) is
    /// updated with the subscription and the partitions its JoinGroup reports owning,
    /// reconciled one step towards its target, and answered at once: the JoinGroup response
    /// carries its member epoch as generation, the SyncGroup response what it may own now.
    /// An empty consumer group turns classic instead (`None`, the classic path goes on);
    /// `None` too when the group is not a consumer group.
    pub(in crate::engine) fn classic_join_to_consumer_group(
        &mut self,
        request: &JoinRequest,
    ) -> Option<Vec<Event>> {
        let now = self.tick;
        let now_ms = self.now_ms();
        let topics = self.metadata_image();
        let group_id = request.group_id.clone();
        let group = self.groups.get_mut(&group_id)?;
        let info = group.modern.as_ref()?;
        if info.core.members.is_empty() {
            group.modern = None;
            return None;
        }
        let known = request
            .member_id
            .as_ref()
            .filter(|id| info.clients.get(*id).is_some_and(|c| c.classic.is_some()))
            .cloned();
        let member_id = match &known {
            Some(id) => id.clone(),
            None => {
                let name = request
                    .group_instance_id
                    .as_deref()
                    .unwrap_or(&request.client_id)
                    .to_string();
                self.new_member_id(&name)
            }
        };
        let owned: Vec<TopicPartition> = match &request.join {
            MemberJoin::Joined {
                owned: Some(owned), ..
            } if known.is_some() => owned.partitions.clone(),
            _ => Vec::new(),
        };
        let owned = by_id(&owned, &topics);
        let subscribed: BTreeSet<String> = request.topics.iter().cloned().collect();
        let names = super::topic_names(&self.topics);
        let group = self.groups.get_mut(&group_id)?;
        let info = group.modern.as_mut()?;
        let before = Before::of(info);
        let epoch = info
            .core
            .member(&member_id)
            .map_or(0, |m| m.assignment.member_epoch);
        let mut classic = request.member(member_id.clone(), Vec::new(), now);
        classic.join = MemberJoin::Awaited;
        let entry = info
            .clients
            .entry(member_id.clone())
            .or_insert_with(|| ModernMemberInfo {
                client_id: request.client_id.clone(),
                host: classic.host.clone(),
                rebalance_timeout_ms: classic.rebalance_timeout_ms,
                revoke_deadline_tick: None,
                server_assignor: None,
                classic: None,
            });
        entry.rebalance_timeout_ms = classic.rebalance_timeout_ms;
        entry.classic = Some(classic);
        let hb = Heartbeat {
            member_id: &member_id,
            member_epoch: epoch,
            instance_id: request.group_instance_id.as_deref(),
            subscribed: Some(&subscribed),
            owned: Some(&owned),
        };
        let result = info.core.heartbeat(&hb, &topics, now_ms);
        forget_departed(info);
        let mut events = vec![request.join_requested(&member_id)];
        match result {
            Ok(response) => {
                let assigned = super::partitions_by_name(
                    response
                        .assigned
                        .iter()
                        .map(|(t, ps)| (t, ps.iter().copied().collect::<Vec<_>>())),
                    &names,
                );
                events.extend(self.narrate_group_change(&group_id, &before, now));
                if let Some(c) = self.consumers.get_mut(&request.client_id) {
                    c.membership = ClassicMembership::Syncing {
                        member_id: member_id.clone(),
                        generation: response.member_epoch,
                        rejoin_needed: false,
                    };
                }
                events.extend(self.deliver_assignment(
                    &request.client_id,
                    &member_id,
                    &group_id,
                    response.member_epoch,
                    assigned,
                ));
            }
            Err(error) => {
                let error = match error {
                    HeartbeatError::UnreleasedInstanceId => "FENCED_INSTANCE_ID",
                    _ => "UNKNOWN_MEMBER_ID",
                };
                events.push(step(
                    &group_id,
                    ModernStep::HeartbeatRefused {
                        client_id: request.client_id.clone(),
                        error: error.to_string(),
                    },
                ));
                if let Some(c) = self.consumers.get_mut(&request.client_id) {
                    c.membership = ClassicMembership::Unjoined;
                }
            }
        }
        Some(events)
    }

    /// A classic member of a consumer group leaves (LeaveGroup, its session or its poll
    /// interval ran out): it is removed as a consumer-protocol member would be. `None` when
    /// the group is not a consumer group that has it.
    pub(in crate::engine) fn classic_leave_consumer_group(
        &mut self,
        group_id: &str,
        member_id: &str,
        reason: LeaveReason,
    ) -> Option<Vec<Event>> {
        let now = self.tick;
        let now_ms = self.now_ms();
        let info = self.groups.get_mut(group_id)?.modern.as_mut()?;
        let client = info.clients.get(member_id)?;
        client.classic.as_ref()?;
        let client_id = client.client_id.clone();
        let before = Before::of(info);
        let hb = Heartbeat {
            member_id,
            member_epoch: LEAVE_EPOCH,
            instance_id: None,
            subscribed: None,
            owned: None,
        };
        let _ = info.core.heartbeat(&hb, &BTreeMap::new(), now_ms);
        info.clients.remove(member_id);
        settle_empty(info);
        let mut events = vec![Event::MemberRemoved {
            group: group_id.to_string(),
            client_id,
            member_id: member_id.to_string(),
            reason,
        }];
        events.extend(self.narrate_group_change(group_id, &before, now));
        Some(events)
    }

    /// After a consumer-protocol member left: a group whose remaining members all use the
    /// classic protocol turns classic again when the policy allows a downgrade
    /// (`convertToClassicGroup`). The classic group takes `generation`, the group epoch
    /// before the leave (the conversion replaces the leave's new epoch), and each member's
    /// current assignment, and rebalances at once.
    pub(in crate::engine) fn maybe_downgrade(
        &mut self,
        group_id: &str,
        generation: i32,
    ) -> Vec<Event> {
        let now = self.tick;
        let policy = self.broker.consumer_groups.migration_policy;
        let names = super::topic_names(&self.topics);
        let Some(group) = self.groups.get_mut(group_id) else {
            return Vec::new();
        };
        let Some(info) = group.modern.as_ref() else {
            return Vec::new();
        };
        if !policy.downgrade_enabled()
            || info.core.members.is_empty()
            || info.core.members.iter().any(|m| {
                info.clients
                    .get(&m.member_id)
                    .is_none_or(|c| c.classic.is_none())
            })
        {
            return Vec::new();
        }
        let Some(info) = group.modern.take() else {
            return Vec::new();
        };
        let mut members = Vec::new();
        for m in &info.core.members {
            let Some(mut classic) = info
                .clients
                .get(&m.member_id)
                .and_then(|c| c.classic.clone())
            else {
                continue;
            };
            classic.assignment = super::partitions_by_name(
                m.assignment
                    .assigned
                    .iter()
                    .map(|(t, ps)| (t, ps.keys().copied().collect::<Vec<_>>())),
                &names,
            );
            classic.last_heartbeat_tick = now;
            classic.join = MemberJoin::Awaited;
            members.push(classic);
        }
        let count = members.len();
        group.members = members;
        group.generation = generation;
        group.leader = group.members.first().map(|m| m.member_id.clone());
        if group.protocol.is_none() {
            group.protocol = group.select_protocol();
        }
        group.state = GroupState::Stable;
        let mut events = vec![step(
            group_id,
            ModernStep::Downgraded {
                generation,
                classic_members: count,
            },
        )];
        events.extend(Self::prepare_group_rebalance(
            group,
            now,
            format!("Downgrade group {group_id} from consumer to classic"),
        ));
        events
    }
}
