//! Constants (c-api.md §5): sizes, and one `#define` per enum value, named
//! `IGGY_<ENUM>_<VALUE>`. The values are literals (cbindgen emits literals only); the
//! assertions below tie each one to the core enum.

use crate::wire::{
    self, Command, EvictionReason, ForwardLogoutOutcome, ForwardRegisterOutcome, Operation,
};

/// Every header is 256 bytes.
pub const IGGY_HEADER_SIZE: usize = 256;
/// Every buffer starts at an address aligned to this (4096).
pub const IGGY_MESSAGE_ALIGN: usize = 4096;
/// The largest frame TCP framing accepts (64 MiB).
pub const IGGY_MAX_MESSAGE_SIZE: u32 = 67108864;

const _: () = {
    assert!(IGGY_HEADER_SIZE == wire::HEADER_SIZE);
    assert!(IGGY_MESSAGE_ALIGN == crate::buf::MESSAGE_ALIGN);
    assert!(IGGY_MAX_MESSAGE_SIZE == wire::MAX_MESSAGE_SIZE);
};

/// Asserts at compile time that each constant equals its core enum value.
macro_rules! same_values {
    ($enum:ident { $($constant:ident = $variant:ident),* $(,)? }) => {
        const _: () = { $(assert!($constant == $enum::$variant as u8);)* };
    };
}

// Command: the command byte (offset 60).

/// `Command::Reserved`.
pub const IGGY_COMMAND_RESERVED: u8 = 0;
/// `Command::Ping`.
pub const IGGY_COMMAND_PING: u8 = 1;
/// `Command::Pong`.
pub const IGGY_COMMAND_PONG: u8 = 2;
/// `Command::PingClient`.
pub const IGGY_COMMAND_PING_CLIENT: u8 = 3;
/// `Command::PongClient`.
pub const IGGY_COMMAND_PONG_CLIENT: u8 = 4;
/// `Command::Request`.
pub const IGGY_COMMAND_REQUEST: u8 = 5;
/// `Command::Prepare`.
pub const IGGY_COMMAND_PREPARE: u8 = 6;
/// `Command::PrepareOk`.
pub const IGGY_COMMAND_PREPARE_OK: u8 = 7;
/// `Command::Reply`.
pub const IGGY_COMMAND_REPLY: u8 = 8;
/// `Command::Commit`.
pub const IGGY_COMMAND_COMMIT: u8 = 9;
/// `Command::StartViewChange`.
pub const IGGY_COMMAND_START_VIEW_CHANGE: u8 = 10;
/// `Command::DoViewChange`.
pub const IGGY_COMMAND_DO_VIEW_CHANGE: u8 = 11;
/// `Command::StartView`.
pub const IGGY_COMMAND_START_VIEW: u8 = 12;
/// `Command::Eviction`.
pub const IGGY_COMMAND_EVICTION: u8 = 13;
/// `Command::ReplicaHello`.
pub const IGGY_COMMAND_REPLICA_HELLO: u8 = 14;
/// `Command::ReplicaChallenge`.
pub const IGGY_COMMAND_REPLICA_CHALLENGE: u8 = 15;
/// `Command::ReplicaFinish`.
pub const IGGY_COMMAND_REPLICA_FINISH: u8 = 16;
/// `Command::RequestStartView`.
pub const IGGY_COMMAND_REQUEST_START_VIEW: u8 = 17;
/// `Command::RequestPrepares`.
pub const IGGY_COMMAND_REQUEST_PREPARES: u8 = 18;
/// `Command::RepairPrepare`.
pub const IGGY_COMMAND_REPAIR_PREPARE: u8 = 19;
/// `Command::RepairDone`.
pub const IGGY_COMMAND_REPAIR_DONE: u8 = 20;
/// `Command::RangeEvicted`.
pub const IGGY_COMMAND_RANGE_EVICTED: u8 = 21;
/// `Command::RequestStateTransfer`.
pub const IGGY_COMMAND_REQUEST_STATE_TRANSFER: u8 = 22;
/// `Command::StateTransferTarget`.
pub const IGGY_COMMAND_STATE_TRANSFER_TARGET: u8 = 23;
/// `Command::RequestStateChunk`.
pub const IGGY_COMMAND_REQUEST_STATE_CHUNK: u8 = 24;
/// `Command::StateChunk`.
pub const IGGY_COMMAND_STATE_CHUNK: u8 = 25;
/// `Command::ForwardRegister`.
pub const IGGY_COMMAND_FORWARD_REGISTER: u8 = 26;
/// `Command::ForwardRegisterResult`.
pub const IGGY_COMMAND_FORWARD_REGISTER_RESULT: u8 = 27;
/// `Command::ForwardLogout`.
pub const IGGY_COMMAND_FORWARD_LOGOUT: u8 = 28;
/// `Command::ForwardLogoutResult`.
pub const IGGY_COMMAND_FORWARD_LOGOUT_RESULT: u8 = 29;

same_values!(Command { IGGY_COMMAND_RESERVED = Reserved, IGGY_COMMAND_PING = Ping, IGGY_COMMAND_PONG = Pong, IGGY_COMMAND_PING_CLIENT = PingClient, IGGY_COMMAND_PONG_CLIENT = PongClient, IGGY_COMMAND_REQUEST = Request, IGGY_COMMAND_PREPARE = Prepare, IGGY_COMMAND_PREPARE_OK = PrepareOk, IGGY_COMMAND_REPLY = Reply, IGGY_COMMAND_COMMIT = Commit, IGGY_COMMAND_START_VIEW_CHANGE = StartViewChange, IGGY_COMMAND_DO_VIEW_CHANGE = DoViewChange, IGGY_COMMAND_START_VIEW = StartView, IGGY_COMMAND_EVICTION = Eviction, IGGY_COMMAND_REPLICA_HELLO = ReplicaHello, IGGY_COMMAND_REPLICA_CHALLENGE = ReplicaChallenge, IGGY_COMMAND_REPLICA_FINISH = ReplicaFinish, IGGY_COMMAND_REQUEST_START_VIEW = RequestStartView, IGGY_COMMAND_REQUEST_PREPARES = RequestPrepares, IGGY_COMMAND_REPAIR_PREPARE = RepairPrepare, IGGY_COMMAND_REPAIR_DONE = RepairDone, IGGY_COMMAND_RANGE_EVICTED = RangeEvicted, IGGY_COMMAND_REQUEST_STATE_TRANSFER = RequestStateTransfer, IGGY_COMMAND_STATE_TRANSFER_TARGET = StateTransferTarget, IGGY_COMMAND_REQUEST_STATE_CHUNK = RequestStateChunk, IGGY_COMMAND_STATE_CHUNK = StateChunk, IGGY_COMMAND_FORWARD_REGISTER = ForwardRegister, IGGY_COMMAND_FORWARD_REGISTER_RESULT = ForwardRegisterResult, IGGY_COMMAND_FORWARD_LOGOUT = ForwardLogout, IGGY_COMMAND_FORWARD_LOGOUT_RESULT = ForwardLogoutResult });

// Operation: the operation byte.

/// `Operation::Reserved`.
pub const IGGY_OPERATION_RESERVED: u8 = 0;
/// `Operation::Register`.
pub const IGGY_OPERATION_REGISTER: u8 = 1;
/// `Operation::NonReplicated`.
pub const IGGY_OPERATION_NON_REPLICATED: u8 = 2;
/// `Operation::Logout`.
pub const IGGY_OPERATION_LOGOUT: u8 = 3;
/// `Operation::CreateTopicWithAssignments`.
pub const IGGY_OPERATION_CREATE_TOPIC_WITH_ASSIGNMENTS: u8 = 64;
/// `Operation::CreatePartitionsWithAssignments`.
pub const IGGY_OPERATION_CREATE_PARTITIONS_WITH_ASSIGNMENTS: u8 = 65;
/// `Operation::RemoveConsumerGroupMember`.
pub const IGGY_OPERATION_REMOVE_CONSUMER_GROUP_MEMBER: u8 = 66;
/// `Operation::CompleteConsumerGroupRevocation`.
pub const IGGY_OPERATION_COMPLETE_CONSUMER_GROUP_REVOCATION: u8 = 67;
/// `Operation::TruncatePartition`.
pub const IGGY_OPERATION_TRUNCATE_PARTITION: u8 = 68;
/// `Operation::CreateStream`.
pub const IGGY_OPERATION_CREATE_STREAM: u8 = 128;
/// `Operation::UpdateStream`.
pub const IGGY_OPERATION_UPDATE_STREAM: u8 = 129;
/// `Operation::DeleteStream`.
pub const IGGY_OPERATION_DELETE_STREAM: u8 = 130;
/// `Operation::PurgeStream`.
pub const IGGY_OPERATION_PURGE_STREAM: u8 = 131;
/// `Operation::CreateTopic`.
pub const IGGY_OPERATION_CREATE_TOPIC: u8 = 132;
/// `Operation::UpdateTopic`.
pub const IGGY_OPERATION_UPDATE_TOPIC: u8 = 133;
/// `Operation::DeleteTopic`.
pub const IGGY_OPERATION_DELETE_TOPIC: u8 = 134;
/// `Operation::PurgeTopic`.
pub const IGGY_OPERATION_PURGE_TOPIC: u8 = 135;
/// `Operation::CreatePartitions`.
pub const IGGY_OPERATION_CREATE_PARTITIONS: u8 = 136;
/// `Operation::DeletePartitions`.
pub const IGGY_OPERATION_DELETE_PARTITIONS: u8 = 137;
/// `Operation::DeleteSegments`.
pub const IGGY_OPERATION_DELETE_SEGMENTS: u8 = 138;
/// `Operation::CreateConsumerGroup`.
pub const IGGY_OPERATION_CREATE_CONSUMER_GROUP: u8 = 139;
/// `Operation::DeleteConsumerGroup`.
pub const IGGY_OPERATION_DELETE_CONSUMER_GROUP: u8 = 140;
/// `Operation::CreateUser`.
pub const IGGY_OPERATION_CREATE_USER: u8 = 141;
/// `Operation::UpdateUser`.
pub const IGGY_OPERATION_UPDATE_USER: u8 = 142;
/// `Operation::DeleteUser`.
pub const IGGY_OPERATION_DELETE_USER: u8 = 143;
/// `Operation::ChangePassword`.
pub const IGGY_OPERATION_CHANGE_PASSWORD: u8 = 144;
/// `Operation::UpdatePermissions`.
pub const IGGY_OPERATION_UPDATE_PERMISSIONS: u8 = 145;
/// `Operation::CreatePersonalAccessToken`.
pub const IGGY_OPERATION_CREATE_PERSONAL_ACCESS_TOKEN: u8 = 146;
/// `Operation::DeletePersonalAccessToken`.
pub const IGGY_OPERATION_DELETE_PERSONAL_ACCESS_TOKEN: u8 = 147;
/// `Operation::JoinConsumerGroup`.
pub const IGGY_OPERATION_JOIN_CONSUMER_GROUP: u8 = 148;
/// `Operation::LeaveConsumerGroup`.
pub const IGGY_OPERATION_LEAVE_CONSUMER_GROUP: u8 = 149;
/// `Operation::SendMessages`.
pub const IGGY_OPERATION_SEND_MESSAGES: u8 = 160;
/// `Operation::StoreConsumerOffset`.
pub const IGGY_OPERATION_STORE_CONSUMER_OFFSET: u8 = 161;
/// `Operation::DeleteConsumerOffset`.
pub const IGGY_OPERATION_DELETE_CONSUMER_OFFSET: u8 = 162;

same_values!(Operation { IGGY_OPERATION_RESERVED = Reserved, IGGY_OPERATION_REGISTER = Register, IGGY_OPERATION_NON_REPLICATED = NonReplicated, IGGY_OPERATION_LOGOUT = Logout, IGGY_OPERATION_CREATE_TOPIC_WITH_ASSIGNMENTS = CreateTopicWithAssignments, IGGY_OPERATION_CREATE_PARTITIONS_WITH_ASSIGNMENTS = CreatePartitionsWithAssignments, IGGY_OPERATION_REMOVE_CONSUMER_GROUP_MEMBER = RemoveConsumerGroupMember, IGGY_OPERATION_COMPLETE_CONSUMER_GROUP_REVOCATION = CompleteConsumerGroupRevocation, IGGY_OPERATION_TRUNCATE_PARTITION = TruncatePartition, IGGY_OPERATION_CREATE_STREAM = CreateStream, IGGY_OPERATION_UPDATE_STREAM = UpdateStream, IGGY_OPERATION_DELETE_STREAM = DeleteStream, IGGY_OPERATION_PURGE_STREAM = PurgeStream, IGGY_OPERATION_CREATE_TOPIC = CreateTopic, IGGY_OPERATION_UPDATE_TOPIC = UpdateTopic, IGGY_OPERATION_DELETE_TOPIC = DeleteTopic, IGGY_OPERATION_PURGE_TOPIC = PurgeTopic, IGGY_OPERATION_CREATE_PARTITIONS = CreatePartitions, IGGY_OPERATION_DELETE_PARTITIONS = DeletePartitions, IGGY_OPERATION_DELETE_SEGMENTS = DeleteSegments, IGGY_OPERATION_CREATE_CONSUMER_GROUP = CreateConsumerGroup, IGGY_OPERATION_DELETE_CONSUMER_GROUP = DeleteConsumerGroup, IGGY_OPERATION_CREATE_USER = CreateUser, IGGY_OPERATION_UPDATE_USER = UpdateUser, IGGY_OPERATION_DELETE_USER = DeleteUser, IGGY_OPERATION_CHANGE_PASSWORD = ChangePassword, IGGY_OPERATION_UPDATE_PERMISSIONS = UpdatePermissions, IGGY_OPERATION_CREATE_PERSONAL_ACCESS_TOKEN = CreatePersonalAccessToken, IGGY_OPERATION_DELETE_PERSONAL_ACCESS_TOKEN = DeletePersonalAccessToken, IGGY_OPERATION_JOIN_CONSUMER_GROUP = JoinConsumerGroup, IGGY_OPERATION_LEAVE_CONSUMER_GROUP = LeaveConsumerGroup, IGGY_OPERATION_SEND_MESSAGES = SendMessages, IGGY_OPERATION_STORE_CONSUMER_OFFSET = StoreConsumerOffset, IGGY_OPERATION_DELETE_CONSUMER_OFFSET = DeleteConsumerOffset });

// EvictionReason: EvictionHeader.reason.

/// `EvictionReason::Reserved`.
pub const IGGY_EVICTION_REASON_RESERVED: u8 = 0;
/// `EvictionReason::NoSession`.
pub const IGGY_EVICTION_REASON_NO_SESSION: u8 = 1;
/// `EvictionReason::ClientReleaseTooLow`.
pub const IGGY_EVICTION_REASON_CLIENT_RELEASE_TOO_LOW: u8 = 2;
/// `EvictionReason::ClientReleaseTooHigh`.
pub const IGGY_EVICTION_REASON_CLIENT_RELEASE_TOO_HIGH: u8 = 3;
/// `EvictionReason::InvalidRequestOperation`.
pub const IGGY_EVICTION_REASON_INVALID_REQUEST_OPERATION: u8 = 4;
/// `EvictionReason::InvalidRequestBody`.
pub const IGGY_EVICTION_REASON_INVALID_REQUEST_BODY: u8 = 5;
/// `EvictionReason::InvalidRequestBodySize`.
pub const IGGY_EVICTION_REASON_INVALID_REQUEST_BODY_SIZE: u8 = 6;
/// `EvictionReason::SessionTooLow`.
pub const IGGY_EVICTION_REASON_SESSION_TOO_LOW: u8 = 7;
/// `EvictionReason::SessionReleaseMismatch`.
pub const IGGY_EVICTION_REASON_SESSION_RELEASE_MISMATCH: u8 = 8;
/// `EvictionReason::InvalidCredentials`.
pub const IGGY_EVICTION_REASON_INVALID_CREDENTIALS: u8 = 9;
/// `EvictionReason::InvalidToken`.
pub const IGGY_EVICTION_REASON_INVALID_TOKEN: u8 = 10;
/// `EvictionReason::UserInactive`.
pub const IGGY_EVICTION_REASON_USER_INACTIVE: u8 = 11;
/// `EvictionReason::SessionError`.
pub const IGGY_EVICTION_REASON_SESSION_ERROR: u8 = 12;
/// `EvictionReason::StaleClient`.
pub const IGGY_EVICTION_REASON_STALE_CLIENT: u8 = 13;
/// `EvictionReason::IncompatibleProtocol`.
pub const IGGY_EVICTION_REASON_INCOMPATIBLE_PROTOCOL: u8 = 14;
/// `EvictionReason::MalformedLogin`.
pub const IGGY_EVICTION_REASON_MALFORMED_LOGIN: u8 = 15;

same_values!(EvictionReason { IGGY_EVICTION_REASON_RESERVED = Reserved, IGGY_EVICTION_REASON_NO_SESSION = NoSession, IGGY_EVICTION_REASON_CLIENT_RELEASE_TOO_LOW = ClientReleaseTooLow, IGGY_EVICTION_REASON_CLIENT_RELEASE_TOO_HIGH = ClientReleaseTooHigh, IGGY_EVICTION_REASON_INVALID_REQUEST_OPERATION = InvalidRequestOperation, IGGY_EVICTION_REASON_INVALID_REQUEST_BODY = InvalidRequestBody, IGGY_EVICTION_REASON_INVALID_REQUEST_BODY_SIZE = InvalidRequestBodySize, IGGY_EVICTION_REASON_SESSION_TOO_LOW = SessionTooLow, IGGY_EVICTION_REASON_SESSION_RELEASE_MISMATCH = SessionReleaseMismatch, IGGY_EVICTION_REASON_INVALID_CREDENTIALS = InvalidCredentials, IGGY_EVICTION_REASON_INVALID_TOKEN = InvalidToken, IGGY_EVICTION_REASON_USER_INACTIVE = UserInactive, IGGY_EVICTION_REASON_SESSION_ERROR = SessionError, IGGY_EVICTION_REASON_STALE_CLIENT = StaleClient, IGGY_EVICTION_REASON_INCOMPATIBLE_PROTOCOL = IncompatibleProtocol, IGGY_EVICTION_REASON_MALFORMED_LOGIN = MalformedLogin });

// ForwardRegisterOutcome: ForwardRegisterResultHeader.outcome.

/// `ForwardRegisterOutcome::Ok`.
pub const IGGY_FORWARD_REGISTER_OUTCOME_OK: u8 = 0;
/// `ForwardRegisterOutcome::NotPrimary`.
pub const IGGY_FORWARD_REGISTER_OUTCOME_NOT_PRIMARY: u8 = 1;
/// `ForwardRegisterOutcome::NotCaughtUp`.
pub const IGGY_FORWARD_REGISTER_OUTCOME_NOT_CAUGHT_UP: u8 = 2;
/// `ForwardRegisterOutcome::PipelineFull`.
pub const IGGY_FORWARD_REGISTER_OUTCOME_PIPELINE_FULL: u8 = 3;
/// `ForwardRegisterOutcome::InProgress`.
pub const IGGY_FORWARD_REGISTER_OUTCOME_IN_PROGRESS: u8 = 4;
/// `ForwardRegisterOutcome::Canceled`.
pub const IGGY_FORWARD_REGISTER_OUTCOME_CANCELED: u8 = 5;
/// `ForwardRegisterOutcome::ClientIdOwnedByAnotherUser`.
pub const IGGY_FORWARD_REGISTER_OUTCOME_CLIENT_ID_OWNED_BY_ANOTHER_USER: u8 = 6;

same_values!(ForwardRegisterOutcome { IGGY_FORWARD_REGISTER_OUTCOME_OK = Ok, IGGY_FORWARD_REGISTER_OUTCOME_NOT_PRIMARY = NotPrimary, IGGY_FORWARD_REGISTER_OUTCOME_NOT_CAUGHT_UP = NotCaughtUp, IGGY_FORWARD_REGISTER_OUTCOME_PIPELINE_FULL = PipelineFull, IGGY_FORWARD_REGISTER_OUTCOME_IN_PROGRESS = InProgress, IGGY_FORWARD_REGISTER_OUTCOME_CANCELED = Canceled, IGGY_FORWARD_REGISTER_OUTCOME_CLIENT_ID_OWNED_BY_ANOTHER_USER = ClientIdOwnedByAnotherUser });

// ForwardLogoutOutcome: ForwardLogoutResultHeader.outcome.

/// `ForwardLogoutOutcome::Ok`.
pub const IGGY_FORWARD_LOGOUT_OUTCOME_OK: u8 = 0;
/// `ForwardLogoutOutcome::NotPrimary`.
pub const IGGY_FORWARD_LOGOUT_OUTCOME_NOT_PRIMARY: u8 = 1;
/// `ForwardLogoutOutcome::PipelineFull`.
pub const IGGY_FORWARD_LOGOUT_OUTCOME_PIPELINE_FULL: u8 = 2;
/// `ForwardLogoutOutcome::InProgress`.
pub const IGGY_FORWARD_LOGOUT_OUTCOME_IN_PROGRESS: u8 = 3;
/// `ForwardLogoutOutcome::Canceled`.
pub const IGGY_FORWARD_LOGOUT_OUTCOME_CANCELED: u8 = 4;

same_values!(ForwardLogoutOutcome { IGGY_FORWARD_LOGOUT_OUTCOME_OK = Ok, IGGY_FORWARD_LOGOUT_OUTCOME_NOT_PRIMARY = NotPrimary, IGGY_FORWARD_LOGOUT_OUTCOME_PIPELINE_FULL = PipelineFull, IGGY_FORWARD_LOGOUT_OUTCOME_IN_PROGRESS = InProgress, IGGY_FORWARD_LOGOUT_OUTCOME_CANCELED = Canceled });
