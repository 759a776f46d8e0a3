//! Message construction, typed views, deep copy, header rewriting and the inbound
//! dispatch, including the message-level behaviours 22 and 23 of `iobuf.md` §6.

use super::*;
use crate::wire::checksum::prepare_identity;
use crate::wire::dispatch::Variant;
use crate::wire::header::*;
use crate::wire::validate::Check;
use crate::wire::{ConsensusError, METADATA_GROUP, Operation};
use bytemuck::Zeroable;
use smallvec::smallvec;

fn request(body: &[u8]) -> Message<RequestHeader> {
    let header = RequestHeader {
        command: Command::Request,
        size: (HEADER_SIZE + body.len()) as u32,
        client: 42,
        operation: Operation::SendMessages,
        session: 3,
        request: 9,
        user_id: 5,
        release: 2,
        ..Zeroable::zeroed()
    };
    Message::from_parts(&header, body).unwrap()
}

fn reply(size: u32, len: usize) -> Owned {
    let mut b = Owned::zeroed(len);
    b[48..52].copy_from_slice(&size.to_le_bytes());
    b[60] = Command::Reply as u8;
    b
}

#[test]
fn construction_keeps_trailing_bytes_and_body_stops_at_size() {
    let mut b = reply(260, 300);
    b[256..260].copy_from_slice(b"body");
    let m = Message::<ReplyHeader>::try_from_owned(b).unwrap();
    assert_eq!(
        (m.total_len(), m.size(), m.body()),
        (300, 260, &b"body"[..])
    );
}

#[test]
fn failed_construction_hands_the_buffer_back() {
    let b = reply(300, 256);
    let Invalid { error, buffer } = Message::<ReplyHeader>::try_from_owned(b).unwrap_err();
    assert_eq!(
        error.check,
        Check::SizeExceedsBuffer {
            len: 256,
            size: 300
        }
    );
    assert_eq!(buffer.len(), 256);
}

#[test]
fn s22_deep_copies_are_independent() {
    let mut original = request(b"payload");
    let copy = original.deep_copy().unwrap();
    original.header_mut().request = 0xdead; // bytes 168..176
    original.body_mut()[0] = b'P';
    let mut prepare = original
        .transmute_header::<PrepareHeader>(|r, p| {
            p.command = Command::Prepare;
            p.size = r.size;
        })
        .unwrap();
    prepare.header_mut().request = 77; // byte 200
    assert_eq!(copy.header().request, 9);
    assert_eq!(copy.body(), b"payload");
    assert_ne!(copy.as_bytes().as_ptr(), prepare.as_bytes().as_ptr());
}

#[test]
fn deep_copy_of_an_invalid_copy_fails_instead_of_panicking() {
    // A message whose size field was cleared after construction.
    let mut m = request(b"");
    m.header_mut().size = 0;
    assert_eq!(
        m.deep_copy().unwrap_err().check,
        Check::SizeFloor { size: 0 }
    );
}

#[test]
fn s23_fragment_lists() {
    let one = Owned::copy_from_slice(&reply(256, 256)).freeze();
    let m = Message::<ReplyHeader, Fragments>::try_from_fragments(smallvec![one]).unwrap();
    assert_eq!(m.fragments().len(), 1);

    let empty = Message::<ReplyHeader, Fragments>::try_from_fragments(SmallVec::new()).unwrap_err();
    let reserved = ConsensusError::InvalidCommand {
        expected: Command::Reply,
        found: Command::Reserved,
    };
    assert_eq!(empty.error.error, reserved);

    let short = Owned::zeroed(100).freeze();
    let e = Message::<ReplyHeader, Fragments>::try_from_fragments(smallvec![short]).unwrap_err();
    assert_eq!(e.error.error, reserved);

    let small_size = Owned::copy_from_slice(&reply(255, 256)).freeze();
    let e =
        Message::<ReplyHeader, Fragments>::try_from_fragments(smallvec![small_size]).unwrap_err();
    assert_eq!(e.error.error, reserved);
}

#[test]
fn fragments_sum_to_the_size() {
    let (head, tail) = Owned::copy_from_slice(&reply(300, 300))
        .freeze()
        .split_at(256);
    let m = Message::<ReplyHeader, Fragments>::try_from_fragments(smallvec![head.freeze(), tail])
        .unwrap();
    assert_eq!((m.total_len(), m.size()), (300, 300));
    let copy = m.deep_copy().unwrap();
    assert_eq!(copy.as_bytes().len(), 300);

    let only_head = Owned::copy_from_slice(&reply(300, 256)).freeze();
    let e =
        Message::<ReplyHeader, Fragments>::try_from_fragments(smallvec![only_head]).unwrap_err();
    assert_eq!(
        e.error.check,
        Check::SizeExceedsBuffer {
            len: 256,
            size: 300
        }
    );
}

#[test]
fn a_misaligned_first_fragment_is_accepted_and_read_in_place_from_a_copy() {
    let mut bytes = vec![0u8; 1];
    bytes.extend_from_slice(&reply(256, 256));
    let odd = Owned::copy_from_slice(&bytes).freeze().slice(1..);
    assert_ne!(odd.as_ptr().addr() % 16, 0);
    let m = Message::<ReplyHeader, Fragments>::try_from_fragments(smallvec![odd]).unwrap();
    assert_eq!(m.header().command, Command::Reply);
    assert_eq!(m.fragments()[0].as_ptr().addr() % 16, 0);
}

#[test]
fn typed_views_borrow_and_consume_with_identical_verdicts() {
    let mut b = Owned::zeroed(256);
    b[48..50].copy_from_slice(&256u16.to_le_bytes());
    b[60] = Command::Commit as u8;
    let generic = Message::<GenericHeader>::try_from_owned(b).unwrap();
    let e = generic.try_as_typed::<CommitHeader>().unwrap_err();
    assert_eq!(e.check, Check::Seal);
    let (e2, mut generic) = generic.try_into_typed::<CommitHeader>().unwrap_err();
    assert_eq!(e, e2);
    let e = generic.try_as_typed::<PrepareHeader>().unwrap_err();
    assert_eq!(e.check, Check::CommandMismatch);
    assert_eq!(
        generic.try_as_typed::<GenericHeader>().unwrap_err().check,
        Check::CommandMismatch
    );

    // Seal it through the generic message: now both forms succeed.
    let mut bytes = generic.into_buffer();
    crate::wire::checksum::seal(&mut bytes).unwrap();
    generic = Message::try_from_owned(bytes).unwrap();
    assert_eq!(
        generic
            .try_as_typed::<CommitHeader>()
            .unwrap()
            .header()
            .size,
        256
    );
    let commit = generic.try_into_typed::<CommitHeader>().unwrap();
    assert_eq!(commit.command(), Command::Commit);
}

#[test]
fn request_becomes_a_prepare_in_place_keeping_the_body() {
    let request = request(b"the body");
    let body_ptr = request.body().as_ptr();
    let mut prepare = request
        .transmute_header::<PrepareHeader>(|r, p| {
            p.command = Command::Prepare;
            p.size = r.size;
            p.release = r.release;
            p.client = r.client;
            p.request = r.request;
            p.operation = r.operation;
            p.user_id = r.user_id;
            p.op = 1;
            p.group = 7;
            p.view = 3;
        })
        .unwrap();
    assert_eq!(prepare.body(), b"the body");
    assert_eq!(
        prepare.body().as_ptr(),
        body_ptr,
        "rewritten in place, body not moved"
    );
    assert_eq!((prepare.header().client, prepare.header().request), (42, 9));
    assert_eq!(prepare.header().reserved, [0; 28]);
    prepare.seal();
    let identity = prepare_identity(prepare.as_bytes()[..256].try_into().unwrap());
    assert_eq!(prepare.header().checksum, identity);
    let frame = prepare.into_frozen();
    assert_eq!(frame.as_ptr(), body_ptr.wrapping_sub(256));
    let inbound = MessageBag::try_from_owned(Owned::copy_from_slice(&frame)).unwrap();
    assert_eq!(inbound.variant(), Variant::Prepare);
    assert_eq!(inbound.routing(), (Operation::SendMessages, 7));
}

#[test]
fn a_failed_rewrite_hands_the_rewritten_buffer_back() {
    let e = request(b"x")
        .transmute_header::<CommitHeader>(|_, c| c.command = Command::Commit)
        .unwrap_err();
    assert_eq!(e.error.error, ConsensusError::CommitInvalidSize(0));
    assert_eq!(e.buffer.len(), 257);
}

#[test]
fn request_promotes_to_the_routed_shape() {
    let mut m = request(b"");
    m.header_mut().reserved[52..].fill(0xff);
    let routed = m.into_routed().unwrap();
    assert_eq!(routed.header().group, 0);
    assert_eq!(routed.header().client, 42);
}

fn sealed_frame(command: Command, edit: impl FnOnce(&mut [u8])) -> Owned {
    let mut b = Owned::zeroed(256);
    b[48..52].copy_from_slice(&256u32.to_le_bytes());
    b[60] = command as u8;
    edit(&mut b);
    crate::wire::checksum::seal(&mut b).unwrap();
    b
}

#[test]
fn the_bag_dispatches_every_routable_command() {
    use Command as C;
    let cases = [
        (C::PrepareOk, Variant::PrepareOk),
        (C::Commit, Variant::Commit),
        (C::StartViewChange, Variant::StartViewChange),
        (C::DoViewChange, Variant::DoViewChange),
        (C::StartView, Variant::StartView),
        (C::RequestStartView, Variant::RequestStartView),
        (C::RepairDone, Variant::RepairRangeReply),
        (C::RangeEvicted, Variant::RepairRangeReply),
        (C::RequestStateTransfer, Variant::RequestStateTransfer),
        (C::StateTransferTarget, Variant::StateTransferTarget),
        (C::StateChunk, Variant::StateChunk),
    ];
    for (command, variant) in cases {
        let bag = MessageBag::try_from_owned(sealed_frame(command, |_| {})).unwrap();
        assert_eq!(
            (bag.variant(), bag.command(), bag.size()),
            (variant, command, 256)
        );
        assert_eq!(bag.operation(), Operation::Reserved);
        assert_eq!(bag.into_buffer().len(), 256);
    }
    let rp = sealed_frame(C::RequestPrepares, |b| {
        b[144] = 1;
        b[152] = 1;
    });
    assert_eq!(
        MessageBag::try_from_owned(rp).unwrap().variant(),
        Variant::RequestPrepares
    );
    let rsc = sealed_frame(C::RequestStateChunk, |b| b[160] = 1);
    assert_eq!(
        MessageBag::try_from_owned(rsc).unwrap().variant(),
        Variant::RequestStateChunk
    );
    let register = |b: &mut [u8]| {
        b[128] = 1; // client
        b[144] = 1; // nonce
    };
    let logout = |b: &mut [u8]| {
        register(b);
        b[160] = 1; // session
        b[168] = 1; // request
    };
    for (frame, variant) in [
        (
            sealed_frame(C::ForwardRegister, register),
            Variant::ForwardRegister,
        ),
        (
            sealed_frame(C::ForwardLogout, logout),
            Variant::ForwardLogout,
        ),
    ] {
        let bag = MessageBag::try_from_owned(frame).unwrap();
        assert_eq!((bag.variant(), bag.routing().1), (variant, METADATA_GROUP));
    }
    for (command, variant) in [
        (C::ForwardRegisterResult, Variant::ForwardRegisterResult),
        (C::ForwardLogoutResult, Variant::ForwardLogoutResult),
    ] {
        let bag = MessageBag::try_from_owned(sealed_frame(command, register)).unwrap();
        assert_eq!((bag.variant(), bag.routing().1), (variant, METADATA_GROUP));
    }
    let mut repair = sealed_frame(C::RepairPrepare, |b| b[208] = Operation::CreateTopic as u8);
    repair[216] = 9;
    let bag = MessageBag::try_from_owned(repair).unwrap();
    assert_eq!(bag.routing(), (Operation::CreateTopic, 9));
    let mut req = Owned::copy_from_slice(request(b"").as_bytes());
    req[248] = 4; // routed group
    let bag = MessageBag::try_from_owned(req).unwrap();
    assert_eq!(
        (bag.variant(), bag.routing()),
        (Variant::Request, (Operation::SendMessages, 4))
    );
}

#[test]
fn the_bag_refuses_and_hands_the_buffer_back() {
    let e = MessageBag::try_from_owned(sealed_frame(Command::Reply, |_| {})).unwrap_err();
    assert_eq!(
        e.error.error,
        ConsensusError::ClientBoundCommand(Command::Reply)
    );
    assert_eq!(e.buffer.len(), 256);
    let e = MessageBag::try_from_owned(sealed_frame(Command::Ping, |_| {})).unwrap_err();
    assert_eq!(e.error.check, Check::Unroutable);
    let mut bad_seal = sealed_frame(Command::Commit, |_| {});
    bad_seal[100] = 1;
    let e = MessageBag::try_from_owned(bad_seal).unwrap_err();
    assert_eq!(e.error.check, Check::Seal);
    assert_eq!(e.buffer[100], 1);
}

#[test]
fn cloning_a_fragment_message_shares_each_fragment() {
    let f = Owned::copy_from_slice(&reply(256, 256)).freeze();
    let m = Message::<ReplyHeader, Fragments>::try_from_fragments(smallvec![f.clone()]).unwrap();
    let c = m.clone();
    assert_eq!(c.fragments()[0].as_ptr(), f.as_ptr());
    let owned = request(b"abc");
    assert_ne!(owned.clone().as_bytes().as_ptr(), owned.as_bytes().as_ptr());
}
