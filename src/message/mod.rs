//! Typed messages: a frame in a buffer, with its header validated as type `H`
//! (wire spec §g).
//!
//! Two backings, as in the reference:
//! * one contiguous [`Owned`] buffer (request backing): the normal case; the header is
//!   read and rewritten in place (the buffer is 4096-aligned);
//! * a list of [`Frozen`] fragments, up to 4 inline ([`Fragments`], response backing),
//!   with the header entirely in fragment 0.
//!
//! A [`Message`] is only ever built by a validating constructor, so its header is a
//! valid `H` for as long as it lives: `header()` reads it in place, without checks.
//! The inbound dispatch over messages is [`MessageBag`].

mod bag;

pub use bag::MessageBag;

use crate::buf::{Frozen, Owned};
use crate::wire::header::Header;
use crate::wire::validate::{self, ValidationError};
use crate::wire::{Command, HEADER_SIZE, checksum};
use core::marker::PhantomData;
use smallvec::SmallVec;

/// A scatter/gather list of shared buffers: the response backing of a message.
pub type Fragments = SmallVec<[Frozen; 4]>;

/// Where a message's bytes live: [`Owned`] or [`Fragments`].
pub trait Backing: sealed::Sealed {
    /// The message's bytes, as one or more contiguous slices.
    fn slices(&self) -> impl Iterator<Item = &[u8]>;

    /// The contiguous bytes that hold the header (the buffer, or fragment 0).
    fn head(&self) -> &[u8] {
        self.slices().next().unwrap_or(&[])
    }

    /// The total length of the message (trailing bytes after `size` included).
    fn total_len(&self) -> usize {
        self.slices().map(<[u8]>::len).sum()
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::buf::Owned {}
    impl Sealed for super::Fragments {}
}

impl Backing for Owned {
    fn slices(&self) -> impl Iterator<Item = &[u8]> {
        core::iter::once(self.as_slice())
    }
}

impl Backing for Fragments {
    fn slices(&self) -> impl Iterator<Item = &[u8]> {
        self.iter().map(Frozen::as_slice)
    }
}

/// A constructor or conversion that failed: why, and the buffer, unchanged except
/// where the operation documents a rewrite.
#[derive(Debug)]
pub struct Invalid<B> {
    /// The failed check and the reference's error.
    pub error: ValidationError,
    /// The buffer the operation was given.
    pub buffer: B,
}

/// A frame whose header has been validated as `H`, over a backing `B`.
///
/// Cost: construction copies the 256 header bytes once to check them; reading the
/// header afterwards is free. Thread-safety: as the backing (`Send` and `Sync`).
#[repr(transparent)]
pub struct Message<H: Header, B: Backing = Owned> {
    buffer: B,
    header: PhantomData<H>,
}

impl<H: Header, B: Backing> Message<H, B> {
    /// # Safety-relevant invariant
    /// Callers have validated the header bytes of `buffer.head()` as `H`, and `head()`
    /// is at least 256 bytes, aligned for `H`.
    fn new_unchecked(buffer: B) -> Self {
        debug_assert!(buffer.head().len() >= HEADER_SIZE);
        debug_assert_eq!(buffer.head().as_ptr().addr() % align_of::<H>(), 0);
        Self {
            buffer,
            header: PhantomData,
        }
    }

    /// The header, in place.
    pub fn header(&self) -> &H {
        // SAFETY: by the type's invariant the head holds at least 256 bytes, aligned
        // for `H`, that were validated as an `H` bit pattern, and no safe method writes
        // them except through `&mut H`.
        unsafe { &*self.buffer.head().as_ptr().cast::<H>() }
    }

    /// The frame's command (byte 60). RepairRangeReply keeps 20 or 21.
    pub fn command(&self) -> Command {
        self.header().as_generic().command
    }

    /// The header's `size` field (not the buffer length).
    pub fn size(&self) -> u32 {
        self.header().as_generic().size
    }

    /// The total length: the buffer's, or the sum of the fragments' (trailing bytes
    /// after `size` included).
    pub fn total_len(&self) -> usize {
        self.buffer.total_len()
    }

    /// The backing buffer.
    pub fn buffer(&self) -> &B {
        &self.buffer
    }

    /// Gives up the typing and returns the backing buffer.
    pub fn into_buffer(self) -> B {
        self.buffer
    }

    /// Typed conversion (E2, §g.3), borrowing: accepts(command), bit pattern, frame seal
    /// (sealed types), `validate()`. Converting to [`GenericHeader`](crate::wire::header::GenericHeader) accepts only
    /// command 0.
    pub fn try_as_typed<T: Header>(&self) -> Result<&Message<T, B>, ValidationError> {
        validate::convert::<T>(self.buffer.head())?;
        // SAFETY: `Message` is `repr(transparent)` over `B` for every header type, and
        // the head was just validated as a `T` (same bytes, same alignment: every
        // header type is aligned to 16).
        Ok(unsafe { &*(self as *const Self).cast::<Message<T, B>>() })
    }

    /// Typed conversion (E2), consuming; the same verdicts as [`Message::try_as_typed`].
    /// On failure the message comes back unchanged.
    pub fn try_into_typed<T: Header>(self) -> Result<Message<T, B>, (ValidationError, Self)> {
        match validate::convert::<T>(self.buffer.head()) {
            Ok(_) => Ok(Message::new_unchecked(self.buffer)),
            Err(e) => Err((e, self)),
        }
    }

    /// A deep copy into one new buffer (fragments concatenated), constructed again as
    /// `H` (E1). One allocation, one copy.
    pub fn deep_copy(&self) -> Result<Message<H>, ValidationError> {
        let mut copy = Owned::with_capacity(self.total_len());
        for slice in self.buffer.slices() {
            copy.extend_from_slice(slice);
        }
        Message::try_from_owned(copy).map_err(|invalid| invalid.error)
    }
}

impl<H: Header> Message<H> {
    /// Typed construction from one buffer (E1, §g.1): length, bit pattern, `validate()`,
    /// size floor, size ≤ length. No seal check. Bytes after `size` are kept. On
    /// failure the buffer comes back unchanged.
    pub fn try_from_owned(buffer: Owned) -> Result<Self, Invalid<Owned>> {
        match validate::construct_split::<H, _>(buffer.as_slice(), buffer.len(), |_| ()) {
            Ok(_) => Ok(Self::new_unchecked(buffer)),
            Err(error) => Err(Invalid { error, buffer }),
        }
    }

    /// A new message holding `header` and then `body`, in one new buffer, constructed
    /// as `H` (E1). `header.size` must already be `256 + body.len()`.
    pub fn from_parts(header: &H, body: &[u8]) -> Result<Self, Invalid<Owned>> {
        let mut buffer = Owned::with_capacity(HEADER_SIZE + body.len());
        buffer.extend_from_slice(bytemuck::bytes_of(header));
        buffer.extend_from_slice(body);
        Self::try_from_owned(buffer)
    }

    /// The header, writable in place. Writes are not re-validated; seal last.
    pub fn header_mut(&mut self) -> &mut H {
        // SAFETY: as in `header`; `&mut self` makes the access unique, and `H` is
        // `NoUninit` + `CheckedBitPattern` with typed enum fields, so every value
        // written through `&mut H` is again a valid `H`.
        unsafe { &mut *self.buffer.as_mut_ptr().cast::<H>() }
    }

    /// The whole buffer, trailing bytes included.
    pub fn as_bytes(&self) -> &[u8] {
        self.buffer.as_slice()
    }

    /// The body, bytes `[256, size)`.
    pub fn body(&self) -> &[u8] {
        &self.buffer.as_slice()[HEADER_SIZE..self.size() as usize]
    }

    /// The body, writable.
    pub fn body_mut(&mut self) -> &mut [u8] {
        let size = self.size() as usize;
        &mut self.buffer.as_mut_slice()[HEADER_SIZE..size]
    }

    /// Stamps the checksum the header's command requires (frame seal, prepare
    /// identity, or nothing), in place.
    pub fn seal(&mut self) {
        checksum::seal(&mut self.buffer.as_mut_slice()[..HEADER_SIZE])
            .expect("a validated header has 256 bytes and a defined command");
    }

    /// Freezes the message into one shared [`Frozen`] frame. Zero-copy, no allocation.
    pub fn into_frozen(self) -> Frozen {
        self.buffer
            .try_freeze()
            .expect("a message buffer holds at least 256 bytes, so it is allocated")
    }

    /// Rewrites the header in place as another type, keeping the body and the buffer
    /// length (§g.5, how a Request becomes a Prepare): the old header is copied, bytes
    /// `[0, 256)` are zeroed, `fill` writes the new header from the old one, and the
    /// buffer is constructed again as `U` (E1). On failure the buffer comes back with
    /// the rewritten header.
    pub fn transmute_header<U: Header>(
        mut self,
        fill: impl FnOnce(&H, &mut U),
    ) -> Result<Message<U>, Invalid<Owned>> {
        let old = *self.header();
        let mut new = U::zeroed();
        fill(&old, &mut new);
        self.buffer.as_mut_slice()[..HEADER_SIZE].copy_from_slice(bytemuck::bytes_of(&new));
        Message::try_from_owned(self.buffer)
    }
}

impl Message<crate::wire::header::RequestHeader> {
    /// Promotes a client request to the routed shape: bytes 248..256 (the routed
    /// `group`) are zeroed and the frame is constructed again as RoutedRequestHeader.
    pub fn into_routed(
        mut self,
    ) -> Result<Message<crate::wire::header::RoutedRequestHeader>, Invalid<Owned>> {
        self.buffer.as_mut_slice()[248..HEADER_SIZE].fill(0);
        Message::try_from_owned(self.buffer)
    }
}

impl<H: Header> Message<H, Fragments> {
    /// Typed construction from fragments (§g.2): no fragments or a fragment 0 shorter
    /// than 256 bytes, then bit pattern, `validate()`, size floor, and the sum of the
    /// fragment lengths ≥ `size`. No seal check. Any alignment of fragment 0 is
    /// accepted: a misaligned fragment 0 is replaced by an aligned copy (one
    /// allocation) so the header can be read in place.
    #[allow(clippy::result_large_err)] // the fragments come back by value: nothing is lost
    pub fn try_from_fragments(mut fragments: Fragments) -> Result<Self, Invalid<Fragments>> {
        let total = fragments.total_len();
        if let Err(error) = validate::construct_split::<H, _>(fragments.head(), total, |_| ()) {
            return Err(Invalid {
                error,
                buffer: fragments,
            });
        }
        if fragments[0].as_ptr().addr() % align_of::<H>() != 0 {
            fragments[0] = Owned::copy_from_slice(&fragments[0]).freeze();
        }
        Ok(Self::new_unchecked(fragments))
    }

    /// The fragments.
    pub fn fragments(&self) -> &[Frozen] {
        &self.buffer
    }
}

impl<H: Header, B: Backing + Clone> Clone for Message<H, B> {
    /// The backing's clone: a deep copy for [`Owned`], one share per fragment for
    /// [`Fragments`].
    fn clone(&self) -> Self {
        Self::new_unchecked(self.buffer.clone())
    }
}

impl<H: Header, B: Backing> core::fmt::Debug for Message<H, B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Message")
            .field("header", self.header())
            .field("total_len", &self.total_len())
            .finish()
    }
}

#[cfg(test)]
mod tests;
