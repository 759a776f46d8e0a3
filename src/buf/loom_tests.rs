//! Loom models of the shared reference count (`make loom`; built only with
//! `--cfg loom`).
//!
//! Each model runs under `loom::model`, which executes it once for every interleaving
//! of its threads' atomic operations and every value the C++ memory model lets each
//! load read. What fails a model:
//!
//! * a **free that does not happen after every access** to the bytes: the control
//!   block carries loom's stand-in for the bytes (`sync::Uses`); reads and writes
//!   through an extent are immutable accesses of it, the free a mutable one, and loom
//!   panics with "Causality violation" when the two are not ordered by the count's
//!   `Release` subtract and `Acquire` load (or the coalesce check's `Acquire` load);
//! * an allocation **freed twice, or never**: each model counts the frees;
//! * **wrong bytes**: each thread reads its view back and compares it.
//!
//! What loom cannot check here: the bytes themselves are plain memory, which loom
//! does not track, so a read of freed or overwritten memory is caught only through the
//! stand-in above, i.e. only where an extent's `as_slice`/`as_mut_slice` reaches the
//! bytes (raw pointers from `as_ptr`/`as_mut_ptr` and the different-block coalesce's
//! copy are not recorded; the models mark the coalesce's exclusive ownership
//! themselves, with `Uses::exclusive`). Use after free at the allocator level is
//! Miri's and ASan's job (`make miri`, `make test`).
//!
//! The models run with `--release`, as the library ships: `release_to`'s
//! `debug_assert` loads the count again with `Acquire`, synchronisation that the
//! release build does not have and that would hide a weakened coalesce check.

use super::sync::frees;
use super::{Frozen, Owned, Prefix};
use loom::thread;

/// Small alignment, as the other buffer tests: the models allocate once per execution.
type O = Owned<64>;
type F = Frozen<64>;
type P = Prefix<64>;

/// Runs `body` under every schedule, with the free counter created first (see
/// `sync::frees`).
fn model(body: impl Fn() + Sync + Send + 'static) {
    loom::model(move || {
        assert_eq!(frees(), 0);
        body();
    });
}

/// The bytes of `f`, read through the extent (a recorded access).
fn read(f: &F) -> Vec<u8> {
    f.as_slice().to_vec()
}

/// Coalesces `p` (holding `head`) with `t` (holding `b"tail"`) while `other` runs. On
/// success the whole frame is owned exclusively (only the count orders `other`'s
/// accesses before ours) and reads `head` + `tail`; on refusal both halves are intact,
/// and once `other` has joined (its handles gone) the retry succeeds.
fn coalesce_while(p: P, t: F, other: thread::JoinHandle<()>, head: &[u8]) {
    let expected = [head, b"tail"].concat();
    match p.try_coalesce_with(t) {
        Ok(whole) => {
            whole.0.uses().exclusive();
            assert_eq!(read(&whole), expected);
            drop(whole);
            other.join().unwrap();
        }
        Err(refused) => {
            assert_eq!(refused.prefix.as_slice(), head);
            assert_eq!(read(&refused.tail), b"tail");
            other.join().unwrap();
            let whole = (refused.prefix.try_coalesce_with(refused.tail))
                .expect("the other handles are gone: coalesce succeeds");
            assert_eq!(read(&whole), expected);
        }
    }
}

/// Two handles made by a clone on one thread, released on two others. Explores which
/// release is the last and what each thread sees of the other's release.
///
/// Fails if the last release frees before the other thread's read happens (the
/// subtract weakened to `Relaxed`, or the `Acquire` load before the free dropped), or
/// if the allocation is freed twice or never.
#[test]
fn clone_then_release_on_two_threads() {
    model(|| {
        let a = O::copy_from_slice(b"hello").freeze();
        let b = a.clone();
        let ta = thread::spawn(move || {
            assert_eq!(read(&a), b"hello");
            drop(a);
        });
        let tb = thread::spawn(move || {
            assert_eq!(read(&b), b"hello");
            drop(b);
        });
        ta.join().unwrap();
        tb.join().unwrap();
        assert_eq!(frees(), 1);
    });
}

/// One thread releases its handle while another clones and slices its own live handle
/// of the same allocation and then releases everything. The `Relaxed` add of the
/// clone races the `Release` subtract: the count may pass through 1 and back up, and
/// either thread's release may be the last.
///
/// Fails if the clone's add is lost or counted twice (a free while a handle is alive,
/// or never), or if whichever release is last frees before the other thread's reads.
#[test]
fn last_release_races_clone_of_other_handle() {
    model(|| {
        let a = O::copy_from_slice(b"abcdef").freeze();
        let b = a.clone();
        let ta = thread::spawn(move || {
            assert_eq!(read(&a), b"abcdef");
            drop(a);
        });
        let tb = thread::spawn(move || {
            let c = b.clone();
            let s = b.slice(2..4);
            drop(b);
            assert_eq!(read(&c), b"abcdef");
            drop(c);
            assert_eq!(read(&s), b"cd");
            drop(s);
        });
        ta.join().unwrap();
        tb.join().unwrap();
        assert_eq!(frees(), 1);
    });
}

/// Same block: a prefix and its tail coalesce while another thread reads and releases
/// a clone of the tail (count 3, then 2). The coalesce either refuses (the clone is
/// still alive: both halves come back intact, and a retry after the join succeeds) or
/// succeeds, after which its caller owns the whole allocation.
///
/// Fails if the coalesce succeeds while the clone's read is not ordered before it (the
/// check's load weakened to `Relaxed`: the same-block merge then stores the count with
/// `Relaxed`, which breaks the release sequence, so not even the final free synchronises
/// with the clone's release), if a refused coalesce changes a half, or if the bytes or
/// the number of frees are wrong.
#[test]
fn coalesce_races_release_of_tail_clone() {
    model(|| {
        let (mut p, t) = O::copy_from_slice(b"headtail").split_at(4);
        let c = t.clone();
        let other = thread::spawn(move || {
            assert_eq!(read(&c), b"tail");
            drop(c);
        });
        p[0] = b'H';
        coalesce_while(p, t, other, b"Head");
        assert_eq!(frees(), 1);
    });
}

/// Different blocks: a new prefix coalesces with a tail whose own prefix (the old
/// head) and a clone are being written, read and released on another thread. The
/// coalesce succeeds only at count 1, and then copies the new prefix over the bytes
/// the old head viewed.
///
/// Fails if the coalesce can succeed before the other thread's accesses happen (the
/// check's load weakened to `Relaxed`, or either release to `Relaxed`): loom reports
/// the write to the head racing the old head's access. Also checks both frees (the new
/// prefix's allocation at the coalesce, the original one at the end) and the bytes.
#[test]
fn coalesce_races_release_of_old_head() {
    model(|| {
        let (mut old_head, t) = O::copy_from_slice(b"headtail").split_at(4);
        let c = t.clone();
        let other = thread::spawn(move || {
            old_head[0] = b'X';
            assert_eq!(old_head.as_slice(), b"Xead");
            drop(old_head);
            assert_eq!(read(&c), b"tail");
            drop(c);
        });
        let p = P::copy_from_slice(b"HEAD");
        coalesce_while(p, t, other, b"HEAD");
        assert_eq!(frees(), 2);
    });
}

/// The two halves of one `Owned::split_at`, the prefix written and the tail read, each
/// released on its own thread.
///
/// Fails if the last release frees before the other half's access (either ordering
/// weakened), or if the halves see each other's bytes or free twice or never.
#[test]
fn split_halves_released_on_different_threads() {
    model(|| {
        let (mut p, t) = O::copy_from_slice(b"headtail").split_at(4);
        let tp = thread::spawn(move || {
            p.copy_from_slice(b"HEAD");
            assert_eq!(p.as_slice(), b"HEAD");
            drop(p);
        });
        let tt = thread::spawn(move || {
            assert_eq!(read(&t), b"tail");
            drop(t);
        });
        tp.join().unwrap();
        tt.join().unwrap();
        assert_eq!(frees(), 1);
    });
}
