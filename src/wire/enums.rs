//! The enums table: every enum byte of the wire format besides the command (which has
//! its own table in `command.rs`), with its values, names and meanings (wire spec §c.2–
//! §c.5). Each [`wire_enum!`] declaration defines the `#[repr(u8)]` Rust enum, whose
//! `CheckedBitPattern` derive is the bit-pattern check, and records its `TABLE`, from
//! which the generator writes the C and Go constants. Operation's classes are in
//! `operation.rs`.

use super::table::wire_enum;

wire_enum! {
    /// A replicated operation. The valid bytes are exactly
    /// {0–3, 64–68, 128–149, 160–162}; any other byte is an invalid bit pattern.
    pub enum Operation {
        /// No operation (the default); a Request may not carry it.
        Reserved = 0,
        /// A client registers a session.
        Register = 1,
        /// A read or another operation that is not replicated.
        NonReplicated = 2,
        /// A client ends its session.
        Logout = 3,
        /// Internal: create a topic with its partition assignments.
        CreateTopicWithAssignments = 64,
        /// Internal: create partitions with their assignments.
        CreatePartitionsWithAssignments = 65,
        /// Internal: remove a member from a consumer group.
        RemoveConsumerGroupMember = 66,
        /// Internal: complete a consumer group's partition revocation.
        CompleteConsumerGroupRevocation = 67,
        /// Internal: truncate a partition (how DeleteSegments is replicated).
        TruncatePartition = 68,
        /// Create a stream (client code 202).
        CreateStream = 128,
        /// Update a stream (client code 204).
        UpdateStream = 129,
        /// Delete a stream (client code 203).
        DeleteStream = 130,
        /// Purge a stream (client code 205).
        PurgeStream = 131,
        /// Create a topic (client code 302).
        CreateTopic = 132,
        /// Update a topic (client code 304).
        UpdateTopic = 133,
        /// Delete a topic (client code 303).
        DeleteTopic = 134,
        /// Purge a topic (client code 305).
        PurgeTopic = 135,
        /// Create partitions (client code 402).
        CreatePartitions = 136,
        /// Delete partitions (client code 403).
        DeletePartitions = 137,
        /// Delete segments (client code 503); neither metadata nor partition plane.
        DeleteSegments = 138,
        /// Create a consumer group (client code 602).
        CreateConsumerGroup = 139,
        /// Delete a consumer group (client code 603).
        DeleteConsumerGroup = 140,
        /// Create a user (client code 33).
        CreateUser = 141,
        /// Update a user (client code 35).
        UpdateUser = 142,
        /// Delete a user (client code 34).
        DeleteUser = 143,
        /// Change a password (client code 37).
        ChangePassword = 144,
        /// Update permissions (client code 36).
        UpdatePermissions = 145,
        /// Create a personal access token (client code 42).
        CreatePersonalAccessToken = 146,
        /// Delete a personal access token (client code 43).
        DeletePersonalAccessToken = 147,
        /// Join a consumer group (client code 604).
        JoinConsumerGroup = 148,
        /// Leave a consumer group (client code 605).
        LeaveConsumerGroup = 149,
        /// Append a batch of messages to a partition (client code 101; the body is a batch).
        SendMessages = 160,
        /// Store a consumer offset (client code 121).
        StoreConsumerOffset = 161,
        /// Delete a consumer offset (client code 122).
        DeleteConsumerOffset = 162,
    }
}

wire_enum! {
    /// Why a client was evicted (byte 255 of an Eviction). Valid bytes are 0..=15;
    /// Reserved (0) is rejected by `validate()`.
    pub enum EvictionReason {
        /// Rejected by `validate()`.
        Reserved = 0,
        /// The client has no session.
        NoSession = 1,
        /// The client's release is too old.
        ClientReleaseTooLow = 2,
        /// The client's release is too new.
        ClientReleaseTooHigh = 3,
        /// The request's operation is not allowed.
        InvalidRequestOperation = 4,
        /// The request's body is malformed.
        InvalidRequestBody = 5,
        /// The request's body has the wrong size.
        InvalidRequestBodySize = 6,
        /// The session number is too low (a stale session).
        SessionTooLow = 7,
        /// The session's release does not match.
        SessionReleaseMismatch = 8,
        /// Login failed.
        InvalidCredentials = 9,
        /// The access token is invalid.
        InvalidToken = 10,
        /// The user is inactive.
        UserInactive = 11,
        /// A session error.
        SessionError = 12,
        /// The client was evicted as stale.
        StaleClient = 13,
        /// The protocol versions do not overlap; the frame carries the server's window
        /// at bytes 144 and 148.
        IncompatibleProtocol = 14,
        /// The login request was malformed.
        MalformedLogin = 15,
    }
}

wire_enum! {
    /// The outcome of a forwarded register (byte 255 of a ForwardRegisterResult):
    /// valid bytes 0..=6.
    pub enum ForwardRegisterOutcome {
        /// The client is registered; `epoch` and `watermark` are set.
        Ok = 0,
        /// The receiver is not the primary.
        NotPrimary = 1,
        /// The primary has not caught up yet.
        NotCaughtUp = 2,
        /// The primary's pipeline is full.
        PipelineFull = 3,
        /// A register of this client is already in progress.
        InProgress = 4,
        /// The register was canceled.
        Canceled = 5,
        /// The client id belongs to another user.
        ClientIdOwnedByAnotherUser = 6,
    }
}

wire_enum! {
    /// The outcome of a forwarded logout (byte 255 of a ForwardLogoutResult): valid
    /// bytes 0..=4.
    pub enum ForwardLogoutOutcome {
        /// The client is logged out; `commit` is set.
        Ok = 0,
        /// The receiver is not the primary.
        NotPrimary = 1,
        /// The primary's pipeline is full.
        PipelineFull = 2,
        /// A logout of this client is already in progress.
        InProgress = 3,
        /// The logout was canceled.
        Canceled = 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Command;
    use crate::wire::validate::Rule;

    /// `from_u8` (a table lookup) gives the `CheckedBitPattern` derive's verdict on
    /// every byte, for every enum byte of the format.
    #[test]
    fn from_u8_is_the_bit_pattern_check() {
        fn agrees<T>(from_u8: fn(u8) -> Option<T>)
        where
            T: bytemuck::CheckedBitPattern<Bits = u8> + PartialEq + core::fmt::Debug,
        {
            for b in 0..=255u8 {
                assert_eq!(
                    from_u8(b),
                    bytemuck::checked::try_cast::<u8, T>(b).ok(),
                    "{b}"
                );
            }
        }
        agrees(Command::from_u8);
        agrees(Operation::from_u8);
        agrees(EvictionReason::from_u8);
        agrees(ForwardRegisterOutcome::from_u8);
        agrees(ForwardLogoutOutcome::from_u8);
        agrees(Rule::from_u8);
    }
}
