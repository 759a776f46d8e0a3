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

use super::Command;
use super::HEADER_SIZE;
use super::Operation;
use super::checksum::verify_frame;
use super::command::HeaderVisitor;
use super::dispatch::{Variant, route};
use super::error::ConsensusError;
use super::header::*;
use super::table::wire_enum;
use core::ffi::CStr;

wire_enum! {
    /// Which rule rejected a frame: the step of the entry point, as the golden vectors'
    /// `rule` names it, with a stable number (`rule` of `iggy_validation_detail`).
    /// `ShortBuffer` and `SizeExceedsBuffer` mean that the bytes end early (read more);
    /// the others that the frame is malformed.
    pub enum Rule {
        /// Nothing was rejected (success), or the failure is not the frame's (a NULL
        /// argument, a caught panic).
        None = 0,
        /// The bytes end before the 256-byte header: read more.
        ShortBuffer = 1,
        /// The bytes end before `size`: read more.
        SizeExceedsBuffer = 2,
        /// `size` is below the 256-byte header.
        SizeFloor = 3,
        /// An undefined enum byte of the header type (command, operation, reason, outcome).
        BitPattern = 4,
        /// Inbound: a command the replica does not route (0–4, 14–16).
        Unroutable = 5,
        /// Inbound: a client-bound command (Reply, Eviction).
        ClientBound = 6,
        /// Typed conversion to a header type that does not accept the frame's command.
        CommandMismatch = 7,
        /// The frame seal does not match.
        Seal = 8,
        /// A `validate()` rule of the header type (the reason says which).
        Validate = 9,
        /// A frame reader's header check: `size` above its `max_frame`.
        FrameTooLarge = 10,
        /// A batch rule B5–B11 (the status says which; B1–B4 map to the rules above).
        Batch = 11,
    }
}

/// A rejected frame: the step that rejected it, the reference's error, and what the
/// rule that fired says about it. Built where the rule fails; nothing is worked out
/// afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Which rule failed (never `Rule::None`).
    pub rule: Rule,
    /// The error the reference returns.
    pub error: ConsensusError,
    reason: &'static CStr,
    expected: u64,
    found: u64,
}

impl ValidationError {
    /// A rule's verdict: its step, the reference's error and the rule's reason, with
    /// no expected or found values.
    pub(crate) const fn new(rule: Rule, error: ConsensusError, reason: &'static CStr) -> Self {
        Self {
            rule,
            error,
            reason,
            expected: 0,
            found: 0,
        }
    }

    /// The same verdict with the rule's expected and found values.
    pub(crate) const fn with(self, expected: u64, found: u64) -> Self {
        Self {
            expected,
            found,
            ..self
        }
    }

    /// A static, NUL-terminated sentence saying which rule failed: the `InvalidField`
    /// text (numbers left out) for field rules, the rule's own sentence otherwise.
    pub fn reason(&self) -> &'static CStr {
        self.reason
    }

    /// The rule's expected value (a size, a checksum's low half), else 0.
    pub fn expected(&self) -> u64 {
        self.expected
    }

    /// The value found instead, else 0.
    pub fn found(&self) -> u64 {
        self.found
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
    let bit_pattern = |_| {
        ValidationError::new(
            Rule::BitPattern,
            ConsensusError::InvalidBitPattern,
            c"undefined enum byte in header (command, operation, reason or outcome)",
        )
    };
    if bytes.as_ptr().addr() % align_of::<H>() == 0 {
        f(bytemuck::checked::try_from_bytes::<H>(bytes).map_err(bit_pattern)?)
    } else {
        f(&bytemuck::checked::try_pod_read_unaligned::<H>(bytes).map_err(bit_pattern)?)
    }
}

/// `InvalidCommand{H.COMMAND, Reserved}`: how construction reports length failures.
const fn length_error<H: Header>(check: Rule, reason: &'static CStr) -> ValidationError {
    ValidationError::new(
        check,
        ConsensusError::InvalidCommand {
            expected: H::COMMAND,
            found: Command::Reserved,
        },
        reason,
    )
}

/// The length rule of construction and conversion: at least 256 bytes.
fn short_buffer<H: Header>(frame: &[u8]) -> Result<&[u8; HEADER_SIZE], ValidationError> {
    header_bytes(frame).ok_or_else(|| {
        length_error::<H>(
            Rule::ShortBuffer,
            c"frame is shorter than the 256-byte header",
        )
        .with(HEADER_SIZE as u64, frame.len() as u64)
    })
}

/// E1, typed construction of `H` from one buffer (§g.1): length, bit pattern,
/// `validate()`, size floor, size ≤ length. Does **not** verify the frame seal.
/// Returns a copy of the header. Bytes after `size` are allowed.
pub fn construct<H: Header>(frame: &[u8]) -> Result<H, ValidationError> {
    with_header(short_buffer::<H>(frame)?, |header: &H| {
        header.validate()?;
        check_size::<H>(header.as_generic().size, frame.len())?;
        Ok(*header)
    })
}

/// The size floor and the buffer bound of construction.
fn check_size<H: Header>(size: u32, len: usize) -> Result<(), ValidationError> {
    if (size as usize) < HEADER_SIZE {
        return Err(
            length_error::<H>(Rule::SizeFloor, c"size is below the 256-byte header")
                .with(HEADER_SIZE as u64, size.into()),
        );
    }
    if len < size as usize {
        return Err(
            length_error::<H>(Rule::SizeExceedsBuffer, c"size exceeds the frame length")
                .with(len as u64, size.into()),
        );
    }
    Ok(())
}

/// Generic construction: E1 with [`GenericHeader`], returning the command. Read off the
/// bytes directly, since the command is Generic's only constrained byte and its
/// `validate()` always passes.
#[inline]
pub fn construct_generic(frame: &[u8]) -> Result<Command, ValidationError> {
    let bytes = short_buffer::<GenericHeader>(frame)?;
    let command = Command::from_u8(bytes[super::COMMAND_OFFSET]).ok_or(ValidationError::new(
        Rule::BitPattern,
        ConsensusError::InvalidBitPattern,
        c"undefined enum byte in header (command, operation, reason or outcome)",
    ))?;
    let size = super::read_size_field(bytes).expect("256 bytes hold the size field");
    check_size::<GenericHeader>(size, frame.len())?;
    Ok(command)
}

/// E2, typed conversion of an already constructed frame to `H` (§g.3): accepts(command),
/// bit pattern, frame seal (sealed types), `validate()`. `size` is not re-checked:
/// construction guaranteed `256 <= size <= len`, and the command byte is defined.
#[inline]
pub fn convert<H: Header>(frame: &[u8]) -> Result<(), ValidationError> {
    let bytes = short_buffer::<H>(frame)?;
    with_header(bytes, |header: &H| {
        let command = header.as_generic().command;
        if !H::accepts(command) {
            return Err(ValidationError::new(
                Rule::CommandMismatch,
                ConsensusError::InvalidCommand {
                    expected: H::COMMAND,
                    found: command,
                },
                c"command is not accepted by the header type",
            ));
        }
        verify_frame(bytes, command)?;
        header.validate()
    })
}

/// Typed conversion (E2) to the header type a command or variant names.
struct Convert<'a>(&'a [u8]);

impl HeaderVisitor for Convert<'_> {
    type Output = Result<(), ValidationError>;
    #[inline]
    fn visit<H: Header>(self) -> Self::Output {
        convert::<H>(self.0)
    }
}

/// The whole-frame check (`iggy_frame_validate`): generic construction, then, when the
/// command has a typed header (the commands table's `frame_header`), typed conversion
/// to it (bit pattern, seal, `validate()`). Commands without one (0–4, 14–16) are valid
/// once generic construction passes. Returns the command.
pub fn validate_frame(frame: &[u8]) -> Result<Command, ValidationError> {
    let command = construct_generic(frame)?;
    command
        .visit_frame_header(Convert(frame))
        .unwrap_or(Ok(()))?;
    Ok(command)
}

/// Verdict first (the status-only fast path): whether [`validate_frame`] accepts
/// `frame`, worked out without building a [`ValidationError`]: the same steps on the
/// same bytes, each a plain comparison, and the frame seal over a fixed-length
/// `&[u8; 240]`. Exactly `validate_frame(frame).is_ok()` (tests check it on every
/// vector and on mutations of them); a caller that needs the reason, or the status of
/// a rejected frame, calls [`validate_frame`] when this is false.
#[inline(always)]
pub fn frame_is_valid(frame: &[u8]) -> bool {
    let Some(bytes) = header_bytes(frame) else {
        return false;
    };
    if let Some(verdict) = request_is_valid(frame) {
        // The hottest unsealed frame, checked on its own so that its path is a few
        // comparisons, outside the other types' (larger) dispatch.
        return verdict;
    }
    let size = u32::from_le_bytes(*bytes[48..].first_chunk().expect("4 bytes"));
    match Command::from_u8(bytes[super::COMMAND_OFFSET]) {
        Some(command) if (size as usize) >= HEADER_SIZE && frame.len() >= size as usize => {
            other_is_valid(bytes, command)
        }
        _ => false,
    }
}

/// [`frame_is_valid`] of a Request: `None` when `frame` is not at least 256 bytes with
/// command byte Request, else whether [`validate_frame`] accepts it (size rules, the
/// Request's bit pattern and `validate()`), read off the bytes at the struct's field
/// offsets. No alignment is needed: nothing is viewed in place.
#[inline(always)]
pub fn request_is_valid(frame: &[u8]) -> Option<bool> {
    let bytes = header_bytes(frame)?;
    if bytes[super::COMMAND_OFFSET] != Command::Request as u8 {
        return None;
    }
    let size = u32::from_le_bytes(*bytes[48..].first_chunk().expect("4 bytes"));
    Some(
        (size as usize) >= HEADER_SIZE
            && frame.len() >= size as usize
            && request_fields_valid(bytes),
    )
}

/// The typed step of a Request: its bit pattern (the operation byte; the command byte
/// is Request) and its `validate()` rules, on the fields read at the struct's offsets.
#[inline(always)]
fn request_fields_valid(bytes: &[u8; HEADER_SIZE]) -> bool {
    use core::mem::offset_of;
    let Some(operation) = Operation::from_u8(bytes[offset_of!(RequestHeader, operation)]) else {
        return false;
    };
    let u64_at = |at: usize| u64::from_le_bytes(*bytes[at..].first_chunk().expect("8 bytes"));
    let client = u128::from_le_bytes(
        *bytes[offset_of!(RequestHeader, client)..]
            .first_chunk()
            .expect("16 bytes"),
    );
    request_rules_hold(
        client,
        operation,
        u64_at(offset_of!(RequestHeader, session)),
        u64_at(offset_of!(RequestHeader, request)),
    )
}

/// [`frame_is_valid`]'s typed step for every command but Request.
#[inline(never)]
fn other_is_valid(bytes: &[u8; HEADER_SIZE], command: Command) -> bool {
    command
        .visit_frame_header(IsValid(bytes, command))
        .unwrap_or(true)
}

/// Whether typed conversion (E2) of the header bytes to `H` passes: the verdict of
/// [`convert`] without its error.
struct IsValid<'a>(&'a [u8; HEADER_SIZE], Command);

impl HeaderVisitor for IsValid<'_> {
    type Output = bool;
    /// Out of line: one small function per header type, which the command's dispatch
    /// jumps to (inlined, all of them would share one large frame).
    #[inline(never)]
    fn visit<H: Header>(self) -> bool {
        let Self(bytes, command) = self;
        let typed = |header: &H| {
            H::accepts(command)
                && (!command.is_sealed() || seal_matches(bytes))
                && header.validate().is_ok()
        };
        if bytes.as_ptr().addr() % align_of::<H>() == 0 {
            bytemuck::checked::try_from_bytes::<H>(bytes).is_ok_and(typed)
        } else {
            bytemuck::checked::try_pod_read_unaligned::<H>(bytes).is_ok_and(|h| typed(&h))
        }
    }
}

/// Whether the stored `checksum` is the frame seal in all 128 bits (verify_frame's
/// verdict for a sealed command).
#[inline(always)]
fn seal_matches(bytes: &[u8; HEADER_SIZE]) -> bool {
    let (stored, _) = bytes.split_first_chunk::<16>().expect("16 bytes");
    u128::from_le_bytes(*stored) == super::checksum::frame_seal(bytes)
}

/// The status-only check of a whole frame: OK from the fast path, else the status of
/// the full verdict.
#[inline(always)]
pub fn frame_status(frame: &[u8]) -> crate::status::Status {
    if frame_is_valid(frame) {
        crate::status::Status::OK
    } else {
        rejected_status(frame)
    }
}

/// The status of a frame the fast path rejected (cold: built once per bad frame).
#[cold]
#[inline(never)]
fn rejected_status(frame: &[u8]) -> crate::status::Status {
    match validate_frame(frame) {
        Ok(_) => crate::status::Status::OK,
        Err(e) => e.error.status(),
    }
}

/// E3, the replica's inbound path (`iggy_frame_validate_inbound`): generic
/// construction, dispatch (client-bound and unroutable commands rejected), typed
/// conversion to the dispatched type. Returns the dispatch variant.
pub fn validate_inbound(frame: &[u8]) -> Result<Variant, ValidationError> {
    let variant = route(construct_generic(frame)?)?;
    variant.visit_header(Convert(frame))?;
    Ok(variant)
}

#[cfg(test)]
mod tests;
