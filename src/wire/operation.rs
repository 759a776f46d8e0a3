//! `Operation`: what a request asks the state machine to do (wire spec §c.2).
//!
//! Read at byte 176 of Request/RoutedRequest, 208 of Prepare/RepairPrepare/Reply and
//! 192 of PrepareOk. Validation never looks at the classes below; they are for routing.

use super::enums::Operation;

impl Default for Operation {
    /// Reserved, as in the reference.
    fn default() -> Self {
        Operation::Reserved
    }
}

/// `(operation, client command code)` for the 25 operations that have a code.
const CLIENT_CODES: [(Operation, u32); 25] = {
    use Operation::*;
    [
        (CreateStream, 202),
        (UpdateStream, 204),
        (DeleteStream, 203),
        (PurgeStream, 205),
        (CreateTopic, 302),
        (UpdateTopic, 304),
        (DeleteTopic, 303),
        (PurgeTopic, 305),
        (CreatePartitions, 402),
        (DeletePartitions, 403),
        (DeleteSegments, 503),
        (CreateConsumerGroup, 602),
        (DeleteConsumerGroup, 603),
        (CreateUser, 33),
        (UpdateUser, 35),
        (DeleteUser, 34),
        (ChangePassword, 37),
        (UpdatePermissions, 36),
        (CreatePersonalAccessToken, 42),
        (DeletePersonalAccessToken, 43),
        (JoinConsumerGroup, 604),
        (LeaveConsumerGroup, 605),
        (SendMessages, 101),
        (StoreConsumerOffset, 121),
        (DeleteConsumerOffset, 122),
    ]
};

impl Operation {
    /// Internal metadata operations: 64 ≤ v < 128.
    pub fn is_internal(self) -> bool {
        (64..128).contains(&(self as u8))
    }

    /// Metadata operations: internal, or 128–149 except DeleteSegments (138).
    pub fn is_metadata(self) -> bool {
        self.is_internal()
            || ((128..=149).contains(&(self as u8)) && self != Operation::DeleteSegments)
    }

    /// The VSR-reserved operations 0–3.
    pub fn is_vsr_reserved(self) -> bool {
        (self as u8) <= 3
    }

    /// Partition-plane operations: v ≥ 160.
    pub fn is_partition(self) -> bool {
        self as u8 >= 160
    }

    /// Metadata-plane operations: metadata, Register or Logout.
    pub fn is_metadata_plane(self) -> bool {
        self.is_metadata() || matches!(self, Operation::Register | Operation::Logout)
    }

    /// Operations a client may send: not Reserved and not internal.
    pub fn is_client_allowed(self) -> bool {
        self != Operation::Reserved && !self.is_internal()
    }

    /// Operations whose reply is result-framed: metadata, StoreConsumerOffset,
    /// DeleteConsumerOffset.
    pub fn is_result_framed(self) -> bool {
        self.is_metadata()
            || matches!(
                self,
                Operation::StoreConsumerOffset | Operation::DeleteConsumerOffset
            )
    }

    /// The client command code of this operation, if it has one.
    pub fn client_code(self) -> Option<u32> {
        CLIENT_CODES
            .iter()
            .find(|(op, _)| *op == self)
            .map(|&(_, code)| code)
    }

    /// The operation a client command code maps to (read-only codes map to none).
    pub fn from_client_code(code: u32) -> Option<Self> {
        CLIENT_CODES
            .iter()
            .find(|(_, c)| *c == code)
            .map(|&(op, _)| op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_the_listed_bytes_are_operations() {
        let valid: Vec<u8> = (0..=255u8)
            .filter(|&b| Operation::from_u8(b).is_some())
            .collect();
        let expected: Vec<u8> = (0..=3)
            .chain(64..=68)
            .chain(128..=149)
            .chain(160..=162)
            .collect();
        assert_eq!(valid, expected);
    }

    #[test]
    fn classes_follow_the_spec() {
        use Operation::*;
        assert!(TruncatePartition.is_internal() && TruncatePartition.is_metadata());
        assert!(!DeleteSegments.is_metadata() && !DeleteSegments.is_partition());
        assert!(CreateStream.is_metadata() && !CreateStream.is_internal());
        assert!(Register.is_metadata_plane() && Logout.is_metadata_plane());
        assert!(!NonReplicated.is_metadata_plane() && NonReplicated.is_vsr_reserved());
        assert!(!CreateStream.is_vsr_reserved() && !SendMessages.is_vsr_reserved());
        assert!(SendMessages.is_partition() && !SendMessages.is_result_framed());
        assert!(StoreConsumerOffset.is_result_framed());
        assert!(!Reserved.is_client_allowed() && !CreateTopicWithAssignments.is_client_allowed());
        assert!(Register.is_client_allowed());
    }

    #[test]
    fn client_codes_are_a_bijection() {
        for &(op, code) in &CLIENT_CODES {
            assert_eq!(op.client_code(), Some(code));
            assert_eq!(Operation::from_client_code(code), Some(op));
        }
        for read_only in [1, 10, 100, 200] {
            assert_eq!(Operation::from_client_code(read_only), None);
        }
        assert_eq!(Operation::Register.client_code(), None);
    }
}
