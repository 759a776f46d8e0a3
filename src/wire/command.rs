//! `Command`: the message type in byte 60 of every header (wire spec §c.1).

use bytemuck::{CheckedBitPattern, NoUninit, Zeroable};

/// The message type (byte 60). A byte is a valid command iff it is `<= 29`.
#[repr(u8)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, CheckedBitPattern, NoUninit, Zeroable,
)]
#[allow(missing_docs)]
pub enum Command {
    #[default]
    Reserved = 0,
    Ping = 1,
    Pong = 2,
    PingClient = 3,
    PongClient = 4,
    Request = 5,
    Prepare = 6,
    PrepareOk = 7,
    Reply = 8,
    Commit = 9,
    StartViewChange = 10,
    DoViewChange = 11,
    StartView = 12,
    Eviction = 13,
    ReplicaHello = 14,
    ReplicaChallenge = 15,
    ReplicaFinish = 16,
    RequestStartView = 17,
    RequestPrepares = 18,
    RepairPrepare = 19,
    RepairDone = 20,
    RangeEvicted = 21,
    RequestStateTransfer = 22,
    StateTransferTarget = 23,
    RequestStateChunk = 24,
    StateChunk = 25,
    ForwardRegister = 26,
    ForwardRegisterResult = 27,
    ForwardLogout = 28,
    ForwardLogoutResult = 29,
}

impl Command {
    /// The command with this byte value, if it is defined.
    pub fn from_u8(byte: u8) -> Option<Self> {
        bytemuck::checked::try_cast(byte).ok()
    }

    /// Whether the header's `checksum` is a frame seal (§f.1): commands 7, 9–12, 17, 18
    /// and 20–29.
    pub fn is_sealed(self) -> bool {
        matches!(
            self,
            Command::PrepareOk
                | Command::Commit
                | Command::StartViewChange
                | Command::DoViewChange
                | Command::StartView
                | Command::RequestStartView
                | Command::RequestPrepares
        ) || self as u8 >= Command::RepairDone as u8
    }

    /// The name used in error texts, for example `RangeEvicted`.
    pub fn name(self) -> &'static str {
        use Command::*;
        match self {
            Reserved => "Reserved",
            Ping => "Ping",
            Pong => "Pong",
            PingClient => "PingClient",
            PongClient => "PongClient",
            Request => "Request",
            Prepare => "Prepare",
            PrepareOk => "PrepareOk",
            Reply => "Reply",
            Commit => "Commit",
            StartViewChange => "StartViewChange",
            DoViewChange => "DoViewChange",
            StartView => "StartView",
            Eviction => "Eviction",
            ReplicaHello => "ReplicaHello",
            ReplicaChallenge => "ReplicaChallenge",
            ReplicaFinish => "ReplicaFinish",
            RequestStartView => "RequestStartView",
            RequestPrepares => "RequestPrepares",
            RepairPrepare => "RepairPrepare",
            RepairDone => "RepairDone",
            RangeEvicted => "RangeEvicted",
            RequestStateTransfer => "RequestStateTransfer",
            StateTransferTarget => "StateTransferTarget",
            RequestStateChunk => "RequestStateChunk",
            StateChunk => "StateChunk",
            ForwardRegister => "ForwardRegister",
            ForwardRegisterResult => "ForwardRegisterResult",
            ForwardLogout => "ForwardLogout",
            ForwardLogoutResult => "ForwardLogoutResult",
        }
    }
}

impl core::fmt::Display for Command {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_up_to_29_is_a_command_and_no_other() {
        for b in 0..=255u8 {
            let c = Command::from_u8(b);
            assert_eq!(c.is_some(), b <= Command::ForwardLogoutResult as u8, "{b}");
            if let Some(c) = c {
                assert_eq!(c as u8, b);
            }
        }
    }

    #[test]
    fn sealed_commands_are_7_9_to_12_17_18_and_20_to_29() {
        let sealed: Vec<u8> = (0..=29)
            .filter(|&b| Command::from_u8(b).unwrap().is_sealed())
            .collect();
        let expected: Vec<u8> = [7, 9, 10, 11, 12, 17, 18]
            .into_iter()
            .chain(20..=29)
            .collect();
        assert_eq!(sealed, expected);
    }

    #[test]
    fn names_render_as_in_the_spec() {
        assert_eq!(Command::RangeEvicted.to_string(), "RangeEvicted");
        assert_eq!(Command::PrepareOk.to_string(), "PrepareOk");
        assert_eq!(Command::default(), Command::Reserved);
    }
}
