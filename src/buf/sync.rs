//! The atomics of the reference count: `core`'s, or loom's under `--cfg loom`.
//!
//! `make loom` builds the library's tests with `--cfg loom`; there the count is loom's
//! `AtomicUsize`, whose model checker runs each model in `loom_tests.rs` under every
//! interleaving and every value the memory model lets a load read (as `bytes` does).
//! Every other build uses `core::sync::atomic`, unchanged.
//!
//! Loom does not see plain memory, so by itself it cannot tell that a buffer's bytes
//! were read after the allocation was freed. Under loom only, each control block also
//! carries a `Uses` (see there), which turns "every access to the bytes happens
//! before the free" into something loom checks.

#[cfg(not(all(test, loom)))]
pub(super) use core::sync::atomic::{AtomicUsize, Ordering};
#[cfg(all(test, loom))]
pub(super) use loom::sync::atomic::{AtomicUsize, Ordering};

#[cfg(all(test, loom))]
pub(super) use model::{Uses, frees};

#[cfg(all(test, loom))]
mod model {
    use loom::cell::UnsafeCell;
    use loom::sync::atomic::{AtomicUsize, Ordering};

    loom::lazy_static! {
        /// Allocations freed by the last release in this execution of the model.
        static ref FREES: AtomicUsize = AtomicUsize::new(0);
    }

    /// Allocations freed so far in this execution. Each model calls it before it
    /// spawns, so that creating the counter (which publishes it to every later reader)
    /// adds no synchronisation between the threads under test.
    pub(in crate::buf) fn frees() -> usize {
        FREES.load(Ordering::SeqCst)
    }

    /// Loom's stand-in for an allocation's bytes: an `UnsafeCell<()>` whose accesses
    /// loom tracks. Reading or writing the bytes through an extent is recorded as an
    /// immutable access ([`Uses::access`]: extents over disjoint bytes may do so at the
    /// same time); freeing the allocation, or owning it alone, as a mutable one
    /// ([`Uses::free`], [`Uses::exclusive`]). Loom fails the model with "Causality
    /// violation: Concurrent read and write accesses" when an access does not happen
    /// before the free: the guarantee of the `Release` subtract and the `Acquire` load.
    ///
    /// Nothing is recorded while a thread unwinds: after loom's panic the cell is left
    /// marked as being written, and the drops on the way out would panic again, which
    /// aborts the whole test binary instead of failing one model.
    pub(in crate::buf) struct Uses(UnsafeCell<()>);

    impl Uses {
        #[track_caller]
        pub(in crate::buf) fn new() -> Self {
            Self(UnsafeCell::new(()))
        }

        /// An extent reads or writes its bytes.
        #[track_caller]
        pub(in crate::buf) fn access(&self) {
            if std::thread::panicking() {
                return;
            }
            self.0.with(|_| ());
        }

        /// The holder of the only share treats the whole allocation as its own (as the
        /// different-block coalesce does when it copies over the head).
        #[track_caller]
        pub(in crate::buf) fn exclusive(&self) {
            if std::thread::panicking() {
                return;
            }
            self.0.with_mut(|_| ());
        }

        /// The last release frees the allocation.
        #[track_caller]
        pub(in crate::buf) fn free(&self) {
            if std::thread::panicking() {
                return;
            }
            self.0.with_mut(|_| ());
            FREES.fetch_add(1, Ordering::Relaxed);
        }
    }
}
