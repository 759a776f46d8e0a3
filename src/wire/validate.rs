//! The validation entry points and the order of their steps (wire spec §e.0).
//!
//! Every function here takes untrusted bytes at any alignment: the 256 header bytes are
//! copied into an aligned local (a checked unaligned read) before they are looked at,
//! so the verdict is that of an aligned copy of the same bytes. Nothing here panics or
//! allocates.
//!
//! | entry point | steps, in order |
//! |---|---|
//! | [`construct`] (E1, typed construction) | length, bit pattern, `validate()`, size floor, size ≤ length. **No seal check.** |
//! | typed conversion (E2, after generic construction) | accepts(command), bit pattern, seal (sealed types), `validate()` |
//! | [`validate_inbound`] (E3) | generic construction, dispatch (§g.4), E2 with the dispatched type |
//! | [`validate_frame`] (whole frame) | generic construction, then E2 with the command's typed header, if it has one |
//!
//! Generic construction is E1 with [`GenericHeader`]: length, command byte ≤ 29, size
//! floor, size ≤ length.

use super::checksum::verify_frame;
use super::dispatch::{Variant, route};
use super::error::{ConsensusError, FieldError};
use super::header::*;
use super::{Command, DVC_HEADERS_MAX, HEADER_SIZE};
use core::ffi::CStr;

/// The step of an entry point that rejected a frame (the `rule` of the golden vectors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Fewer than 256 bytes.
    ShortBuffer {
        /// The frame length.
        len: usize,
    },
    /// An undefined enum byte of the target type.
    BitPattern,
    /// `size < 256`.
    SizeFloor {
        /// The `size` field.
        size: u32,
    },
    /// `size` larger than the frame.
    SizeExceedsBuffer {
        /// The frame length.
        len: usize,
        /// The `size` field.
        size: u32,
    },
    /// Inbound: a command the replica does not route (0–4, 14–16).
    Unroutable,
    /// Inbound: a client-bound command (Reply, Eviction).
    ClientBound,
    /// Typed conversion to a type that does not accept the frame's command.
    CommandMismatch,
    /// The frame seal does not match.
    Seal,
    /// A `validate()` rule of the header type.
    Validate,
}

/// A rejected frame: the step that rejected it and the reference's error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Which step failed.
    pub check: Check,
    /// The error the reference returns.
    pub error: ConsensusError,
}

impl ValidationError {
    fn new(check: Check, error: ConsensusError) -> Self {
        Self { check, error }
    }

    /// A static, NUL-terminated sentence saying which rule failed: the `InvalidField` text (numbers
    /// left out) for field rules, a fixed sentence per step otherwise.
    pub fn reason(&self) -> &'static CStr {
        match self.check {
            Check::ShortBuffer { .. } => c"frame is shorter than the 256-byte header",
            Check::BitPattern => {
                c"undefined enum byte in header (command, operation, reason or outcome)"
            }
            Check::SizeFloor { .. } => c"size is below the 256-byte header",
            Check::SizeExceedsBuffer { .. } => c"size exceeds the frame length",
            Check::Unroutable => c"command is not dispatched on the inbound path",
            Check::ClientBound => c"client-bound command cannot be dispatched on the inbound path",
            Check::CommandMismatch => c"command is not accepted by the header type",
            Check::Seal => match self.error {
                ConsensusError::FrameChecksumMismatch { found, .. } if found >> 64 != 0 => {
                    c"header checksum upper 64 bits are non-zero"
                }
                _ => c"header checksum does not cover the frame",
            },
            Check::Validate => match self.error {
                ConsensusError::InvalidField(field) => field.reason(),
                ConsensusError::InvalidSize { .. } => c"size must be 256 (header-only frame)",
                ConsensusError::CommitInvalidSize(_) => c"commit size must be 256",
                ConsensusError::CommitInvalidCommand => c"command must be Commit",
                ConsensusError::ReplyInvalidCommand => c"command must be Reply",
                _ => c"command does not match the header type",
            },
        }
    }

    /// The rule's expected value (a size, a checksum's low half), else 0.
    pub fn expected(&self) -> u64 {
        self.expected_found().0
    }

    /// The value found instead, else 0.
    pub fn found(&self) -> u64 {
        self.expected_found().1
    }

    fn expected_found(&self) -> (u64, u64) {
        const HEADER: u64 = HEADER_SIZE as u64;
        match (self.check, self.error) {
            (Check::ShortBuffer { len }, _) => (HEADER, len as u64),
            (Check::SizeFloor { size }, _) => (HEADER, size.into()),
            (Check::SizeExceedsBuffer { len, size }, _) => (len as u64, size.into()),
            (Check::Unroutable, ConsensusError::InvalidCommand { found, .. })
            | (Check::ClientBound, ConsensusError::ClientBoundCommand(found)) => (0, found as u64),
            (
                Check::Seal,
                ConsensusError::FrameChecksumMismatch {
                    expected, found, ..
                },
            ) => (expected as u64, found as u64),
            (
                _,
                ConsensusError::InvalidSize { found, .. }
                | ConsensusError::CommitInvalidSize(found),
            ) => (HEADER, found.into()),
            (_, ConsensusError::InvalidField(FieldError::SuffixTooLong { entries, .. })) => {
                (DVC_HEADERS_MAX.into(), entries.into())
            }
            (_, ConsensusError::InvalidField(FieldError::BitsetPastSuffix { entries })) => {
                (entries.into(), 0)
            }
            _ => (0, 0),
        }
    }
}

impl core::fmt::Display for ValidationError {
    /// The reference's error text.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for ValidationError {}

/// The first 256 bytes as a fixed-size array, if there are that many.
fn header_bytes(frame: &[u8]) -> Option<&[u8; HEADER_SIZE]> {
    frame.get(..HEADER_SIZE)?.try_into().ok()
}

/// Views the 256 header bytes as an `H` and runs `f` on it: in place when the bytes are
/// aligned for `H` (every buffer of this library is), on an aligned copy otherwise; the
/// verdict is the same either way. `InvalidBitPattern` when an enum byte of `H` is
/// undefined.
fn with_header<H: Header, R>(
    bytes: &[u8; HEADER_SIZE],
    f: impl FnOnce(&H) -> Result<R, ValidationError>,
) -> Result<R, ValidationError> {
    let bit_pattern =
        |_| ValidationError::new(Check::BitPattern, ConsensusError::InvalidBitPattern);
    if bytes.as_ptr().addr() % align_of::<H>() == 0 {
        f(bytemuck::checked::try_from_bytes::<H>(bytes).map_err(bit_pattern)?)
    } else {
        f(&bytemuck::checked::try_pod_read_unaligned::<H>(bytes).map_err(bit_pattern)?)
    }
}

/// `InvalidCommand{H.COMMAND, Reserved}`: how construction reports length failures.
fn length_error<H: Header>(check: Check) -> ValidationError {
    ValidationError::new(
        check,
        ConsensusError::InvalidCommand {
            expected: H::COMMAND,
            found: Command::Reserved,
        },
    )
}

/// E1, typed construction of `H` from one buffer (§g.1): length, bit pattern,
/// `validate()`, size floor, size ≤ length. Does **not** verify the frame seal.
/// Returns a copy of the header. Bytes after `size` are allowed.
pub fn construct<H: Header>(frame: &[u8]) -> Result<H, ValidationError> {
    construct_split::<H, _>(frame, frame.len(), |header| *header)
}

/// E1 for a frame whose first `head.len()` bytes are contiguous and whose whole length
/// is `total_len` (construction from fragments, §g.2: the header lies in fragment 0);
/// `f` gets the validated header.
pub(crate) fn construct_split<H: Header, R>(
    head: &[u8],
    total_len: usize,
    f: impl FnOnce(&H) -> R,
) -> Result<R, ValidationError> {
    let bytes = header_bytes(head)
        .ok_or_else(|| length_error::<H>(Check::ShortBuffer { len: head.len() }))?;
    with_header(bytes, |header: &H| {
        header
            .validate()
            .map_err(|error| ValidationError::new(Check::Validate, error))?;
        check_size::<H>(header.as_generic().size, total_len)?;
        Ok(f(header))
    })
}

/// The size floor and the buffer bound of construction.
fn check_size<H: Header>(size: u32, len: usize) -> Result<(), ValidationError> {
    if (size as usize) < HEADER_SIZE {
        return Err(length_error::<H>(Check::SizeFloor { size }));
    }
    if len < size as usize {
        return Err(length_error::<H>(Check::SizeExceedsBuffer { len, size }));
    }
    Ok(())
}

/// Generic construction: E1 with [`GenericHeader`], returning the command. Read off the
/// bytes directly, since the command is Generic's only constrained byte and its
/// `validate()` always passes.
#[inline]
pub fn construct_generic(frame: &[u8]) -> Result<Command, ValidationError> {
    let bytes = header_bytes(frame)
        .ok_or_else(|| length_error::<GenericHeader>(Check::ShortBuffer { len: frame.len() }))?;
    let command = Command::from_u8(bytes[super::COMMAND_OFFSET]).ok_or(ValidationError::new(
        Check::BitPattern,
        ConsensusError::InvalidBitPattern,
    ))?;
    let size = super::read_size_field(bytes).expect("256 bytes hold the size field");
    check_size::<GenericHeader>(size, frame.len())?;
    Ok(command)
}

/// E2, typed conversion of an already constructed frame to `H` (§g.3): accepts(command),
/// bit pattern, frame seal (sealed types), `validate()`. `size` is not re-checked:
/// construction guaranteed `256 <= size <= len`, and the command byte is defined.
#[inline]
pub(crate) fn convert<H: Header>(frame: &[u8]) -> Result<(), ValidationError> {
    let bytes = header_bytes(frame)
        .ok_or_else(|| length_error::<H>(Check::ShortBuffer { len: frame.len() }))?;
    with_header(bytes, |header: &H| {
        let command = header.as_generic().command;
        if !H::accepts(command) {
            return Err(ValidationError::new(
                Check::CommandMismatch,
                ConsensusError::InvalidCommand {
                    expected: H::COMMAND,
                    found: command,
                },
            ));
        }
        verify_frame(bytes, command).map_err(|error| ValidationError::new(Check::Seal, error))?;
        header
            .validate()
            .map_err(|error| ValidationError::new(Check::Validate, error))
    })
}

/// The whole-frame check (`iggy_frame_validate`): generic construction, then, when the
/// command has a typed header, typed conversion to it (bit pattern, seal, `validate()`).
/// Commands without one (0–4, 14–16) are valid once generic construction passes.
/// Returns the command.
pub fn validate_frame(frame: &[u8]) -> Result<Command, ValidationError> {
    let command = construct_generic(frame)?;
    use Command::*;
    match command {
        Reserved | Ping | Pong | PingClient | PongClient | ReplicaHello | ReplicaChallenge
        | ReplicaFinish => Ok(()),
        Request => convert::<RequestHeader>(frame),
        Prepare => convert::<PrepareHeader>(frame),
        PrepareOk => convert::<PrepareOkHeader>(frame),
        Reply => convert::<ReplyHeader>(frame),
        Commit => convert::<CommitHeader>(frame),
        StartViewChange => convert::<StartViewChangeHeader>(frame),
        DoViewChange => convert::<DoViewChangeHeader>(frame),
        StartView => convert::<StartViewHeader>(frame),
        Eviction => convert::<EvictionHeader>(frame),
        RequestStartView => convert::<RequestStartViewHeader>(frame),
        RequestPrepares => convert::<RequestPreparesHeader>(frame),
        RepairPrepare => convert::<RepairPrepareHeader>(frame),
        RepairDone | RangeEvicted => convert::<RepairRangeReplyHeader>(frame),
        RequestStateTransfer => convert::<RequestStateTransferHeader>(frame),
        StateTransferTarget => convert::<StateTransferTargetHeader>(frame),
        RequestStateChunk => convert::<RequestStateChunkHeader>(frame),
        StateChunk => convert::<StateChunkHeader>(frame),
        ForwardRegister => convert::<ForwardRegisterHeader>(frame),
        ForwardRegisterResult => convert::<ForwardRegisterResultHeader>(frame),
        ForwardLogout => convert::<ForwardLogoutHeader>(frame),
        ForwardLogoutResult => convert::<ForwardLogoutResultHeader>(frame),
    }?;
    Ok(command)
}

/// E3, the replica's inbound path (`iggy_frame_validate_inbound`): generic
/// construction, dispatch (client-bound and unroutable commands rejected), typed
/// conversion to the dispatched type. Returns the dispatch variant.
pub fn validate_inbound(frame: &[u8]) -> Result<Variant, ValidationError> {
    let variant = route(construct_generic(frame)?)?;
    variant.convert(frame)?;
    Ok(variant)
}

#[cfg(test)]
mod tests;
