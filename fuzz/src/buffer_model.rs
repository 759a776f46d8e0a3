//! The `buffer_ops` check: input bytes read as a sequence of buffer operations on a few
//! handle slots, run through the C ABI and checked after every step against a plain
//! model (`iobuf.md` §2–§4).
//!
//! The model keeps, for every allocation that has become shared, its bytes
//! `[0, length when first shared)` and how many live views (prefixes and frozens) use
//! it; a view is `(allocation, offset, len)`. That is enough to predict exactly:
//! * every view's contents (a prefix writes into its allocation's bytes; no other view
//!   sees them);
//! * when a coalesce is allowed (§3.1): same allocation, allowed iff exactly this prefix
//!   and this tail are alive on it; different allocations, iff the tail is the only view
//!   of its allocation and starts `prefix.len` bytes into it;
//! * what a coalesce yields (§3.3, the quirk): the whole allocation `[0, block len)`,
//!   with the prefix's bytes copied over its head in the different-allocation case;
//! * how many 4096-aligned allocations are alive, checked against the counting
//!   allocator after every step.
//!
//! Statuses must match exactly: `Status::OUT_OF_RANGE.0`, `Status::COALESCE_REFUSED.0`,
//! `Status::EMPTY_HANDLE.0`, `Status::NULL_ARGUMENT.0`, `Status::INVALID_ARGUMENT.0`
//! (an output that is also an input) and `Status::OUT_OF_MEMORY.0` (sizes above
//! `isize::MAX - 4095`, refused before the allocator) exactly when the model says.
//! On every error the inputs are byte-for-byte unchanged and the outputs (pre-filled
//! with a garbage pattern, as an uninitialised struct would be) untouched.

use crate::alloc_count::Stats;
use iggy_consensus::ffi::*;
use iggy_consensus::status::Status;

/// Handle slots.
pub const BUFS: usize = 4;
/// Prefix slots.
pub const PREFIXES: usize = 4;
/// Frozen slots.
pub const FROZENS: usize = 8;
/// Operations per input at most: 32 reach every state of the slots (a coalesce needs
/// about five) while keeping one run short; the Makefile's `-max_len=256` fits about
/// that many. (256 operations per input made one run take milliseconds.)
pub const MAX_OPS: usize = 32;

/// What an uninitialised output handle holds before the call.
const GARBAGE: usize = 0xA5A5_A5A5_A5A5_A5A5_u64 as usize;
const GARBAGE_HANDLE: [usize; 4] = [GARBAGE; 4];

/// The smallest size the library must refuse before calling the allocator.
pub const HUGE_MIN: usize = isize::MAX as usize - 4095 + 1;

/// Reads the fuzz input; past the end every read is 0.
pub struct Input<'a> {
    data: &'a [u8],
    pos: usize,
    /// The slots picked since the last `take_picked`, as `slot_bit`s.
    picked: u32,
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self {
            data,
            pos: 0,
            picked: 0,
        }
    }
    /// The slots picked since the last call: every handle an operation can have touched.
    fn take_picked(&mut self) -> u32 {
        core::mem::take(&mut self.picked)
    }
    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }
    fn u64(&mut self) -> u64 {
        let mut b = [0; 8];
        b.iter_mut().for_each(|x| *x = self.byte());
        u64::from_le_bytes(b)
    }
    fn slot(&mut self, kind: Kind, n: usize) -> usize {
        let i = usize::from(self.byte()) % n;
        self.picked |= slot_bit(kind, i);
        i
    }
    fn buf(&mut self) -> usize {
        self.slot(Kind::Buf, BUFS)
    }
    fn prefix(&mut self) -> usize {
        self.slot(Kind::Prefix, PREFIXES)
    }
    fn frozen(&mut self) -> usize {
        self.slot(Kind::Frozen, FROZENS)
    }
    /// A length: mostly small, sometimes up to 1000, sometimes up to 9000 (rarely: a
    /// large buffer is zeroed, copied and compared at every step that names it).
    fn size(&mut self) -> usize {
        match self.byte() {
            b @ 0..=199 => usize::from(b),
            200..=231 => 200 + usize::from(self.u16()) % 800,
            232..=239 => 1000 + usize::from(self.u16()) % 8000,
            240 => 4095,
            241 => 4096,
            242 => 4097,
            243 => 256,
            244 => 512,
            _ => usize::from(self.byte()),
        }
    }
    /// An index relative to `len`: mostly inside `[0, len]`, sometimes past it.
    fn index(&mut self, len: usize) -> usize {
        match self.byte() {
            0..=229 => usize::from(self.u16()) % (len + 1),
            230..=239 => len,
            240..=249 => len + 1 + usize::from(self.byte()),
            250 => usize::MAX,
            _ => 0,
        }
    }
    /// A size the library must refuse before allocating.
    fn huge(&mut self) -> usize {
        HUGE_MIN + (self.u64() as usize) % (usize::MAX - HUGE_MIN + 1)
    }
}

/// A shared allocation in the model.
struct Alloc {
    /// `[0, length when first shared)`.
    bytes: Vec<u8>,
    /// Live prefixes and frozens on it.
    views: usize,
    /// Its address, once a view of it was checked: every later view must agree.
    base: Option<usize>,
}

/// A prefix or frozen view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct View {
    alloc: usize,
    offset: usize,
    len: usize,
}

/// An owned buffer: its initialised bytes (`init.len() >= len`) and its capacity.
struct BufModel {
    init: Vec<u8>,
    len: usize,
    capacity: usize,
}

/// The handles under test and their model.
pub struct Harness {
    bufs: [iggy_buf; BUFS],
    prefixes: [iggy_prefix; PREFIXES],
    frozens: [iggy_frozen; FROZENS],
    mbufs: [Option<BufModel>; BUFS],
    mprefixes: [Option<View>; PREFIXES],
    mfrozens: [Option<View>; FROZENS],
    allocs: Vec<Alloc>,
    /// Allocations with live views.
    live_allocs: usize,
    stats: fn() -> Stats,
    base_buffers: usize,
    /// The operations run, for failure messages: a format with `{}` for each argument,
    /// formatted only when a check fails (formatting every step cost more than the
    /// step).
    trace: Vec<(&'static str, [usize; 5])>,
    /// Slots whose memory a step wrote without naming them (other views of an
    /// allocation written through one), as `slot_bit`s.
    dirty: u32,
}

/// A slot's bit in `Harness::dirty`: buffers, then prefixes, then frozens.
const fn slot_bit(kind: Kind, i: usize) -> u32 {
    1 << match kind {
        Kind::Buf => i,
        Kind::Prefix => BUFS + i,
        Kind::Frozen => BUFS + PREFIXES + i,
    }
}

/// The three kinds of slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Buf,
    Prefix,
    Frozen,
}

fn words<T>(handle: &T) -> [usize; 4] {
    assert_eq!(size_of::<T>(), 32);
    // SAFETY: every handle type is four `usize` words (`#[repr(C)]`).
    unsafe { core::ptr::from_ref(handle).cast::<[usize; 4]>().read() }
}

fn fill<T>(handle: &mut T, value: [usize; 4]) {
    assert_eq!(size_of::<T>(), 32);
    // SAFETY: as in `words`; writing words into a dead handle struct.
    unsafe {
        core::ptr::from_mut(handle)
            .cast::<[usize; 4]>()
            .write(value)
    }
}

fn pattern(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| seed.wrapping_add((i as u8).wrapping_mul(31)) ^ (i >> 8) as u8)
        .collect()
}

impl Harness {
    /// A harness with every slot empty. `stats` reads the counting allocator.
    pub fn new(stats: fn() -> Stats) -> Self {
        let base_buffers = stats().live_buffers;
        Self {
            bufs: core::array::from_fn(|_| iggy_buf::default()),
            prefixes: core::array::from_fn(|_| iggy_prefix::default()),
            frozens: core::array::from_fn(|_| iggy_frozen::default()),
            mbufs: Default::default(),
            mprefixes: [None; PREFIXES],
            mfrozens: [None; FROZENS],
            allocs: Vec::new(),
            live_allocs: 0,
            stats,
            base_buffers,
            trace: Vec::with_capacity(MAX_OPS),
            dirty: 0,
        }
    }

    /// Records the operation about to run: `format` with `{}` for each of `args`.
    fn note(&mut self, format: &'static str, args: &[usize]) {
        let mut all = [0; 5];
        all[..args.len()].copy_from_slice(args);
        self.trace.push((format, all));
    }

    fn fail(&self, what: String) -> ! {
        let tail: Vec<String> = self
            .trace
            .iter()
            .rev()
            .take(12)
            .rev()
            .map(|(format, args)| {
                let mut parts = format.split("{}");
                let mut line = parts.next().unwrap_or_default().to_owned();
                for (part, arg) in parts.zip(args) {
                    line += &format!("{arg}{part}");
                }
                line
            })
            .collect();
        panic!("{what}\nlast operations:\n{tail:#?}");
    }

    fn expect_status(&self, got: iggy_status, want: iggy_status) {
        if got != want {
            self.fail(format!(
                "status {got} ({}), model says {want} ({})",
                status_text(got),
                status_text(want)
            ));
        }
    }

    // --- model helpers ----------------------------------------------------------

    fn new_alloc(&mut self, bytes: Vec<u8>, views: usize) -> usize {
        assert!(views > 0, "model: an allocation without views");
        self.allocs.push(Alloc {
            bytes,
            views,
            base: None,
        });
        self.live_allocs += 1;
        self.allocs.len() - 1
    }

    fn drop_view(&mut self, view: View) {
        let a = &mut self.allocs[view.alloc];
        assert!(a.views > 0, "model: view count underflow");
        a.views -= 1;
        if a.views == 0 {
            a.bytes = Vec::new();
            self.live_allocs -= 1;
        }
    }

    /// Marks every slot holding a view of allocation `alloc` as changed.
    fn mark_alloc(&mut self, alloc: usize) {
        for (p, v) in self.mprefixes.iter().enumerate() {
            if v.is_some_and(|v| v.alloc == alloc) {
                self.dirty |= slot_bit(Kind::Prefix, p);
            }
        }
        for (f, v) in self.mfrozens.iter().enumerate() {
            if v.is_some_and(|v| v.alloc == alloc) {
                self.dirty |= slot_bit(Kind::Frozen, f);
            }
        }
    }

    fn view_bytes(&self, view: View) -> &[u8] {
        &self.allocs[view.alloc].bytes[view.offset..view.offset + view.len]
    }

    /// Coalesce allowed? (§3.1)
    fn can_coalesce(&self, prefix: View, tail: View) -> bool {
        if prefix.alloc == tail.alloc {
            self.allocs[tail.alloc].views == 2
        } else {
            self.allocs[tail.alloc].views == 1 && tail.offset == prefix.len
        }
    }

    /// 4096-aligned allocations the model expects alive.
    fn expected_buffers(&self) -> usize {
        let owned = self
            .mbufs
            .iter()
            .flatten()
            .filter(|b| b.capacity > 0)
            .count();
        owned + self.live_allocs
    }

    // --- releasing slots (also used to clear an output slot) ---------------------

    fn free_buf(&mut self, i: usize) {
        // SAFETY: a slot of this harness.
        unsafe { iggy_buf_free(&mut self.bufs[i]) };
        self.mbufs[i] = None;
    }

    fn free_prefix(&mut self, i: usize) {
        // SAFETY: a slot of this harness.
        unsafe { iggy_prefix_free(&mut self.prefixes[i]) };
        if let Some(v) = self.mprefixes[i].take() {
            self.drop_view(v);
        }
    }

    fn release_frozen(&mut self, i: usize) {
        // SAFETY: a slot of this harness.
        unsafe { iggy_frozen_release(&mut self.frozens[i]) };
        if let Some(v) = self.mfrozens[i].take() {
            self.drop_view(v);
        }
    }

    /// Empties an output slot through the API, then fills it with garbage.
    fn prepare_prefix_out(&mut self, i: usize) {
        self.free_prefix(i);
        fill(&mut self.prefixes[i], GARBAGE_HANDLE);
    }

    fn prepare_frozen_out(&mut self, i: usize) {
        self.release_frozen(i);
        fill(&mut self.frozens[i], GARBAGE_HANDLE);
    }

    fn prepare_buf_out(&mut self, i: usize) {
        self.free_buf(i);
        fill(&mut self.bufs[i], GARBAGE_HANDLE);
    }

    /// After an error: the output slot must still hold the garbage; make it empty.
    fn untouched_out<T>(&self, handle: &mut T, what: &str) {
        if words(handle) != GARBAGE_HANDLE {
            self.fail(format!("{what}: an output was written on error"));
        }
        fill(handle, [0; 4]);
    }

    // --- one step -----------------------------------------------------------------

    /// Runs the whole input, checking after every step the slots it named or wrote
    /// into (and the live buffer count); then everything once more, and releases
    /// everything.
    pub fn run(&mut self, input: &mut Input<'_>) {
        let mut ops = 0;
        while !input.done() && ops < MAX_OPS {
            self.step(input);
            let changed = input.take_picked() | core::mem::take(&mut self.dirty);
            self.check_changed(changed);
            ops += 1;
        }
        self.check_all();
        self.release_all();
    }

    /// Releases every slot through the API and checks that every buffer is freed.
    pub fn release_all(&mut self) {
        for i in 0..BUFS {
            self.free_buf(i);
        }
        for i in 0..PREFIXES {
            self.free_prefix(i);
        }
        for i in 0..FROZENS {
            self.release_frozen(i);
        }
        self.check_all();
        if let Some(a) = self.allocs.iter().position(|a| a.views != 0) {
            self.fail(format!("model: allocation {a} still has views"));
        }
        let live = (self.stats)().live_buffers;
        if live != self.base_buffers {
            self.fail(format!(
                "{} buffers alive after releasing everything",
                live - self.base_buffers
            ));
        }
    }

    fn step(&mut self, input: &mut Input<'_>) {
        let op = input.byte() % 22;
        match op {
            0 => self.op_buf_new(input, false),
            1 => self.op_buf_new(input, true),
            2 => self.op_buf_copy_from(input),
            3 => self.op_buf_write(input),
            4 => self.op_buf_set_len(input),
            5 => self.op_buf_reserve(input),
            6 => self.op_buf_split_at(input),
            7 => self.op_buf_freeze(input),
            8 => {
                let i = input.buf();
                self.note("buf_free(b{})", &[i]);
                self.free_buf(i);
            }
            9 => self.op_prefix_copy_from(input),
            10 => self.op_prefix_write(input),
            11 => self.op_prefix_freeze(input),
            12 | 13 => self.op_coalesce(input),
            14 => {
                let i = input.prefix();
                self.note("prefix_free(p{})", &[i]);
                self.free_prefix(i);
            }
            15 => self.op_frozen_clone(input),
            16 => self.op_frozen_slice(input),
            17 => self.op_frozen_split_at(input),
            18 => {
                let i = input.frozen();
                self.note("frozen_release(f{})", &[i]);
                self.release_frozen(i);
            }
            19 => self.op_aliasing(input),
            20 => self.op_null(input),
            _ => self.op_huge(input),
        }
    }

    fn op_buf_new(&mut self, input: &mut Input<'_>, with_capacity: bool) {
        let i = input.buf();
        let n = input.size();
        self.note(
            "buf_new(b{}, {}, with_capacity={})",
            &[i, n, usize::from(with_capacity)],
        );
        self.prepare_buf_out(i);
        // SAFETY: a writable slot.
        let status = unsafe {
            if with_capacity {
                iggy_buf_with_capacity(n, &mut self.bufs[i])
            } else {
                iggy_buf_new_zeroed(n, &mut self.bufs[i])
            }
        };
        self.expect_status(status, Status::OK.0);
        // SAFETY: a live slot.
        let capacity = unsafe { iggy_buf_capacity(&self.bufs[i]) };
        if capacity < n {
            self.fail(format!("capacity {capacity} < requested {n}"));
        }
        let len = if with_capacity { 0 } else { n };
        self.mbufs[i] = Some(BufModel {
            init: vec![0; len],
            len,
            capacity,
        });
    }

    fn op_buf_copy_from(&mut self, input: &mut Input<'_>) {
        let i = input.buf();
        let n = input.size();
        let bytes = pattern(input.byte(), n);
        self.note("buf_copy_from(b{}, {} bytes)", &[i, n]);
        self.prepare_buf_out(i);
        let src = if n == 0 && input.byte() & 1 == 0 {
            core::ptr::null()
        } else {
            bytes.as_ptr()
        };
        // SAFETY: `src` is NULL with 0, or `n` readable bytes; a writable slot.
        let status = unsafe { iggy_buf_copy_from(src, n, &mut self.bufs[i]) };
        self.expect_status(status, Status::OK.0);
        // SAFETY: a live slot.
        let capacity = unsafe { iggy_buf_capacity(&self.bufs[i]) };
        if capacity < n {
            self.fail(format!("capacity {capacity} < copied {n}"));
        }
        self.mbufs[i] = Some(BufModel {
            init: bytes,
            len: n,
            capacity,
        });
    }

    /// Writes through `iggy_buf_data` inside `[0, capacity)`, never leaving a hole in
    /// the initialised bytes.
    fn op_buf_write(&mut self, input: &mut Input<'_>) {
        let i = input.buf();
        let (start, count, value) = (input.u16() as usize, input.size(), input.byte());
        let Some(m) = &self.mbufs[i] else {
            // SAFETY: an empty slot.
            if !unsafe { iggy_buf_data(&mut self.bufs[i]) }.is_null() {
                self.fail("iggy_buf_data of an empty handle is not NULL".into());
            }
            return;
        };
        if m.capacity == 0 {
            return;
        }
        let start = start % (m.init.len().min(m.capacity) + 1);
        let count = count.min(m.capacity - start);
        self.note(
            "buf_write(b{}, [{}, +{}) = {})",
            &[i, start, count, usize::from(value)],
        );
        // SAFETY: a live slot.
        let data = unsafe { iggy_buf_data(&mut self.bufs[i]) };
        let bytes = pattern(value, count);
        // SAFETY: `[start, start + count)` lies inside the capacity.
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), data.add(start), count) };
        let m = self.mbufs[i].as_mut().unwrap();
        let end = start + count;
        if m.init.len() < end {
            m.init.resize(end, 0);
        }
        m.init[start..end].copy_from_slice(&bytes);
        self.dirty |= slot_bit(Kind::Buf, i);
    }

    fn op_buf_set_len(&mut self, input: &mut Input<'_>) {
        let i = input.buf();
        let pick = input.byte();
        let raw = input.u16() as usize;
        let (n, want) = match &self.mbufs[i] {
            None => (raw, Status::EMPTY_HANDLE.0),
            // Past the capacity: refused.
            Some(m) if pick < 64 => (m.capacity + 1 + raw % 5000, Status::OUT_OF_RANGE.0),
            Some(m) if pick < 72 => (usize::MAX, Status::OUT_OF_RANGE.0),
            // Inside the initialised bytes (growing or shrinking).
            Some(m) => (raw % (m.init.len() + 1), Status::OK.0),
        };
        self.note("buf_set_len(b{}, {})", &[i, n]);
        let before = words(&self.bufs[i]);
        // SAFETY: a slot; bytes `[0, n)` are initialised when the call can succeed.
        let status = unsafe { iggy_buf_set_len(&mut self.bufs[i], n) };
        self.expect_status(status, want);
        if status == Status::OK.0 {
            self.mbufs[i].as_mut().unwrap().len = n;
        } else if words(&self.bufs[i]) != before {
            self.fail("set_len changed the handle on error".into());
        }
    }

    fn op_buf_reserve(&mut self, input: &mut Input<'_>) {
        let i = input.buf();
        let additional = if input.byte() < 24 {
            input.huge()
        } else {
            input.size()
        };
        self.note("buf_reserve(b{}, {})", &[i, additional]);
        let before = words(&self.bufs[i]);
        // SAFETY: a slot.
        let status = unsafe { iggy_buf_reserve(&mut self.bufs[i], additional) };
        let Some(m) = &self.mbufs[i] else {
            return self.expect_status(status, Status::EMPTY_HANDLE.0);
        };
        if additional >= HUGE_MIN {
            self.expect_status(status, Status::OUT_OF_MEMORY.0);
            if words(&self.bufs[i]) != before {
                self.fail("reserve changed the handle on error".into());
            }
            return;
        }
        self.expect_status(status, Status::OK.0);
        let room = m.capacity - m.len;
        // SAFETY: a live slot.
        let capacity = unsafe { iggy_buf_capacity(&self.bufs[i]) };
        if additional <= room {
            if words(&self.bufs[i]) != before {
                self.fail("reserve within the room changed the handle".into());
            }
        } else if capacity < m.len + additional {
            self.fail(format!(
                "reserve: capacity {capacity} < {} + {additional}",
                m.len
            ));
        }
        let m = self.mbufs[i].as_mut().unwrap();
        m.capacity = capacity;
        if additional > room {
            // Only `[0, len)` is kept when the data moves.
            m.init.truncate(m.len);
        }
    }

    fn op_buf_split_at(&mut self, input: &mut Input<'_>) {
        let (i, p, f) = (input.buf(), input.prefix(), input.frozen());
        let len = self.mbufs[i].as_ref().map_or(0, |m| m.len);
        let at = input.index(len);
        self.note("buf_split_at(b{}, {}, p{}, f{})", &[i, at, p, f]);
        self.prepare_prefix_out(p);
        self.prepare_frozen_out(f);
        let before = words(&self.bufs[i]);
        let want = match &self.mbufs[i] {
            None => Status::EMPTY_HANDLE.0,
            Some(m) if at > m.len => Status::OUT_OF_RANGE.0,
            Some(_) => Status::OK.0,
        };
        // SAFETY: slots of this harness.
        let status = unsafe {
            iggy_buf_split_at(
                &mut self.bufs[i],
                at,
                &mut self.prefixes[p],
                &mut self.frozens[f],
            )
        };
        self.expect_status(status, want);
        if status != Status::OK.0 {
            if words(&self.bufs[i]) != before {
                self.fail("split_at changed the buffer on error".into());
            }
            let (mut pp, mut ff) = (
                core::mem::take(&mut self.prefixes[p]),
                core::mem::take(&mut self.frozens[f]),
            );
            self.untouched_out(&mut pp, "buf_split_at");
            self.untouched_out(&mut ff, "buf_split_at");
            return;
        }
        // SAFETY: a handle of the model.
        if !unsafe { iggy_buf_is_empty(&self.bufs[i]) } {
            self.fail("split_at did not consume the buffer".into());
        }
        let m = self.mbufs[i].take().unwrap();
        let a = self.new_alloc(m.init[..m.len].to_vec(), 2);
        self.mprefixes[p] = Some(View {
            alloc: a,
            offset: 0,
            len: at,
        });
        self.mfrozens[f] = Some(View {
            alloc: a,
            offset: at,
            len: m.len - at,
        });
    }

    fn op_buf_freeze(&mut self, input: &mut Input<'_>) {
        let (i, f) = (input.buf(), input.frozen());
        self.note("buf_freeze(b{}, f{})", &[i, f]);
        self.prepare_frozen_out(f);
        // SAFETY: slots of this harness.
        let status = unsafe { iggy_buf_freeze(&mut self.bufs[i], &mut self.frozens[f]) };
        let Some(m) = self.mbufs[i].take() else {
            self.expect_status(status, Status::EMPTY_HANDLE.0);
            let mut ff = core::mem::take(&mut self.frozens[f]);
            return self.untouched_out(&mut ff, "buf_freeze");
        };
        self.expect_status(status, Status::OK.0);
        let a = self.new_alloc(m.init[..m.len].to_vec(), 1);
        self.mfrozens[f] = Some(View {
            alloc: a,
            offset: 0,
            len: m.len,
        });
    }

    fn op_prefix_copy_from(&mut self, input: &mut Input<'_>) {
        let p = input.prefix();
        let n = input.size();
        let bytes = pattern(input.byte(), n);
        self.note("prefix_copy_from(p{}, {} bytes)", &[p, n]);
        self.prepare_prefix_out(p);
        let src = if n == 0 {
            core::ptr::null()
        } else {
            bytes.as_ptr()
        };
        // SAFETY: `(NULL, 0)` or `n` readable bytes; a writable slot.
        let status = unsafe { iggy_prefix_copy_from(src, n, &mut self.prefixes[p]) };
        self.expect_status(status, Status::OK.0);
        let a = self.new_alloc(bytes, 1);
        self.mprefixes[p] = Some(View {
            alloc: a,
            offset: 0,
            len: n,
        });
    }

    fn op_prefix_write(&mut self, input: &mut Input<'_>) {
        let p = input.prefix();
        let (start, count, value) = (input.u16() as usize, input.size(), input.byte());
        let Some(v) = self.mprefixes[p] else {
            // SAFETY: an empty slot.
            if !unsafe { iggy_prefix_data(&mut self.prefixes[p]) }.is_null() {
                self.fail("iggy_prefix_data of an empty handle is not NULL".into());
            }
            return;
        };
        let start = start % (v.len + 1);
        let count = count.min(v.len - start);
        self.note(
            "prefix_write(p{}, [{}, +{}) = {})",
            &[p, start, count, usize::from(value)],
        );
        let bytes = pattern(value, count);
        // SAFETY: a live slot; `[start, start + count)` lies inside the prefix.
        unsafe {
            let data = iggy_prefix_data(&mut self.prefixes[p]);
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), data.add(start), count);
        }
        let at = v.offset + start;
        self.allocs[v.alloc].bytes[at..at + count].copy_from_slice(&bytes);
        self.mark_alloc(v.alloc);
    }

    fn op_prefix_freeze(&mut self, input: &mut Input<'_>) {
        let (p, f) = (input.prefix(), input.frozen());
        self.note("prefix_freeze(p{}, f{})", &[p, f]);
        self.prepare_frozen_out(f);
        // SAFETY: slots of this harness.
        let status = unsafe { iggy_prefix_freeze(&mut self.prefixes[p], &mut self.frozens[f]) };
        match self.mprefixes[p].take() {
            None => {
                self.expect_status(status, Status::EMPTY_HANDLE.0);
                let mut ff = core::mem::take(&mut self.frozens[f]);
                self.untouched_out(&mut ff, "prefix_freeze");
            }
            Some(v) => {
                self.expect_status(status, Status::OK.0);
                self.mfrozens[f] = Some(v);
            }
        }
    }

    fn op_coalesce(&mut self, input: &mut Input<'_>) {
        let (p, t, o) = (input.prefix(), input.frozen(), input.frozen());
        if o != t {
            // Clear the output first: releasing it may change the tail's count.
            self.prepare_frozen_out(o);
        }
        let (mp, mt) = (self.mprefixes[p], self.mfrozens[t]);
        // The read-only predicates first.
        // SAFETY: slots of this harness.
        let (can, aliases) = unsafe {
            (
                iggy_prefix_can_coalesce(&self.prefixes[p], &self.frozens[t]),
                iggy_prefix_aliases(&self.prefixes[p], &self.frozens[t]),
            )
        };
        let model_can = matches!((mp, mt), (Some(a), Some(b)) if self.can_coalesce(a, b));
        let model_aliases = matches!((mp, mt), (Some(a), Some(b)) if a.alloc == b.alloc);
        if (can, aliases) != (model_can, model_aliases) {
            self.fail(format!(
                "can_coalesce/aliases {:?}, model {:?} (p{p} {mp:?}, f{t} {mt:?})",
                (can, aliases),
                (model_can, model_aliases)
            ));
        }
        self.note(
            "prefix_coalesce(p{}, f{}, f{}) model={}",
            &[p, t, o, usize::from(model_can)],
        );
        let before = (words(&self.prefixes[p]), words(&self.frozens[t]));
        if o == t {
            // The output is the tail: refused as an alias once both are live.
            let want = if mp.is_none() || mt.is_none() {
                Status::EMPTY_HANDLE.0
            } else {
                Status::INVALID_ARGUMENT.0
            };
            let tail: *mut iggy_frozen = &mut self.frozens[t];
            // SAFETY: slots of this harness; the aliasing is what is tested.
            let status = unsafe { iggy_prefix_coalesce(&mut self.prefixes[p], tail, tail) };
            self.expect_status(status, want);
            if (words(&self.prefixes[p]), words(&self.frozens[t])) != before {
                self.fail("coalesce changed its inputs on an aliasing error".into());
            }
            return;
        }
        let want = match (mp, mt) {
            (None, _) | (_, None) => Status::EMPTY_HANDLE.0,
            _ if model_can => Status::OK.0,
            _ => Status::COALESCE_REFUSED.0,
        };
        let (tail, out): (*mut iggy_frozen, *mut iggy_frozen) =
            (&mut self.frozens[t], &mut self.frozens[o]);
        // SAFETY: distinct slots of this harness.
        let status = unsafe { iggy_prefix_coalesce(&mut self.prefixes[p], tail, out) };
        self.expect_status(status, want);
        if status != Status::OK.0 {
            if (words(&self.prefixes[p]), words(&self.frozens[t])) != before {
                self.fail("a refused coalesce changed its inputs".into());
            }
            let mut oo = core::mem::take(&mut self.frozens[o]);
            return self.untouched_out(&mut oo, "prefix_coalesce");
        }
        // SAFETY: slots of this harness.
        if unsafe {
            !iggy_prefix_is_empty(&self.prefixes[p]) || !iggy_frozen_is_empty(&self.frozens[t])
        } {
            self.fail("coalesce did not consume both inputs".into());
        }
        let (mp, mt) = (mp.unwrap(), mt.unwrap());
        self.mprefixes[p] = None;
        self.mfrozens[t] = None;
        if mp.alloc == mt.alloc {
            // Two views become one.
            self.allocs[mt.alloc].views = 1;
        } else {
            let head = self.view_bytes(mp).to_vec();
            self.allocs[mt.alloc].bytes[..head.len()].copy_from_slice(&head);
            self.drop_view(mp);
        }
        let len = self.allocs[mt.alloc].bytes.len();
        self.mfrozens[o] = Some(View {
            alloc: mt.alloc,
            offset: 0,
            len,
        });
        self.mark_alloc(mt.alloc);
    }

    fn op_frozen_clone(&mut self, input: &mut Input<'_>) {
        let (f, o) = (input.frozen(), input.frozen());
        self.note("frozen_clone(f{}, f{})", &[f, o]);
        if f == o {
            return self.alias_clone_or_slice(f, None);
        }
        self.prepare_frozen_out(o);
        let (src, out): (*const iggy_frozen, *mut iggy_frozen) =
            (&self.frozens[f], &mut self.frozens[o]);
        // SAFETY: distinct slots of this harness.
        let status = unsafe { iggy_frozen_clone(src, out) };
        match self.mfrozens[f] {
            None => {
                self.expect_status(status, Status::EMPTY_HANDLE.0);
                let mut oo = core::mem::take(&mut self.frozens[o]);
                self.untouched_out(&mut oo, "frozen_clone");
            }
            Some(v) => {
                self.expect_status(status, Status::OK.0);
                self.allocs[v.alloc].views += 1;
                self.mfrozens[o] = Some(v);
            }
        }
    }

    fn op_frozen_slice(&mut self, input: &mut Input<'_>) {
        let (f, o) = (input.frozen(), input.frozen());
        let len = self.mfrozens[f].map_or(0, |v| v.len);
        let (start, end) = (input.index(len), input.index(len));
        self.note("frozen_slice(f{}, {}..{}, f{})", &[f, start, end, o]);
        if f == o {
            return self.alias_clone_or_slice(f, Some((start, end)));
        }
        self.prepare_frozen_out(o);
        let (src, out): (*const iggy_frozen, *mut iggy_frozen) =
            (&self.frozens[f], &mut self.frozens[o]);
        // SAFETY: distinct slots of this harness.
        let status = unsafe { iggy_frozen_slice(src, start, end, out) };
        let want = match self.mfrozens[f] {
            None => Status::EMPTY_HANDLE.0,
            Some(v) if start > end || end > v.len => Status::OUT_OF_RANGE.0,
            Some(_) => Status::OK.0,
        };
        self.expect_status(status, want);
        if status != Status::OK.0 {
            let mut oo = core::mem::take(&mut self.frozens[o]);
            return self.untouched_out(&mut oo, "frozen_slice");
        }
        let v = self.mfrozens[f].unwrap();
        self.allocs[v.alloc].views += 1;
        self.mfrozens[o] = Some(View {
            alloc: v.alloc,
            offset: v.offset + start,
            len: end - start,
        });
    }

    /// `iggy_frozen_clone`/`_slice` with the output being the input.
    fn alias_clone_or_slice(&mut self, f: usize, range: Option<(usize, usize)>) {
        let want = match (self.mfrozens[f], range) {
            (None, _) => Status::EMPTY_HANDLE.0,
            (Some(v), Some((s, e))) if s > e || e > v.len => Status::OUT_OF_RANGE.0,
            _ => Status::INVALID_ARGUMENT.0,
        };
        let before = words(&self.frozens[f]);
        let h: *mut iggy_frozen = &mut self.frozens[f];
        // SAFETY: one slot as both input and output: the aliasing is what is tested.
        let status = unsafe {
            match range {
                None => iggy_frozen_clone(h, h),
                Some((s, e)) => iggy_frozen_slice(h, s, e, h),
            }
        };
        self.expect_status(status, want);
        if words(&self.frozens[f]) != before {
            self.fail("clone/slice changed an aliased handle".into());
        }
    }

    fn op_frozen_split_at(&mut self, input: &mut Input<'_>) {
        let (f, p, o) = (input.frozen(), input.prefix(), input.frozen());
        let len = self.mfrozens[f].map_or(0, |v| v.len);
        let at = input.index(len);
        self.note("frozen_split_at(f{}, {}, p{}, f{})", &[f, at, p, o]);
        let mv = self.mfrozens[f];
        let range_ok = mv.is_some_and(|v| at <= v.len);
        if f == o {
            let want = match mv {
                None => Status::EMPTY_HANDLE.0,
                Some(_) if !range_ok => Status::OUT_OF_RANGE.0,
                Some(_) => Status::INVALID_ARGUMENT.0,
            };
            self.prepare_prefix_out(p);
            let before = words(&self.frozens[f]);
            let h: *mut iggy_frozen = &mut self.frozens[f];
            // SAFETY: the aliasing is what is tested.
            let status = unsafe { iggy_frozen_split_at(h, at, &mut self.prefixes[p], h) };
            self.expect_status(status, want);
            if words(&self.frozens[f]) != before {
                self.fail("split_at changed an aliased handle".into());
            }
            let mut pp = core::mem::take(&mut self.prefixes[p]);
            return self.untouched_out(&mut pp, "frozen_split_at (alias)");
        }
        self.prepare_prefix_out(p);
        self.prepare_frozen_out(o);
        let before = words(&self.frozens[f]);
        let want = match mv {
            None => Status::EMPTY_HANDLE.0,
            Some(_) if !range_ok => Status::OUT_OF_RANGE.0,
            Some(_) => Status::OK.0,
        };
        let (src, out): (*mut iggy_frozen, *mut iggy_frozen) =
            (&mut self.frozens[f], &mut self.frozens[o]);
        // SAFETY: distinct slots of this harness.
        let status = unsafe { iggy_frozen_split_at(src, at, &mut self.prefixes[p], out) };
        self.expect_status(status, want);
        if status != Status::OK.0 {
            if words(&self.frozens[f]) != before {
                self.fail("frozen split_at changed its input on error".into());
            }
            let mut pp = core::mem::take(&mut self.prefixes[p]);
            let mut oo = core::mem::take(&mut self.frozens[o]);
            self.untouched_out(&mut pp, "frozen_split_at");
            return self.untouched_out(&mut oo, "frozen_split_at");
        }
        let v = mv.unwrap();
        self.mfrozens[f] = None;
        let head = self.view_bytes(v)[..at].to_vec();
        let a = self.new_alloc(head, 1);
        self.mprefixes[p] = Some(View {
            alloc: a,
            offset: 0,
            len: at,
        });
        self.mfrozens[o] = Some(View {
            alloc: v.alloc,
            offset: v.offset + at,
            len: v.len - at,
        });
    }

    /// Outputs that alias inputs across the buffer functions.
    fn op_aliasing(&mut self, input: &mut Input<'_>) {
        let which = input.byte() % 2;
        let p = input.prefix();
        let f = input.frozen();
        match which {
            0 => {
                // buf_split_at with the tail output being the prefix output's memory.
                let i = input.buf();
                self.note("buf_split_at(b{}, 0, p{}, &p{}) alias", &[i, p, p]);
                let want = if self.mbufs[i].is_none() {
                    Status::EMPTY_HANDLE.0
                } else {
                    Status::INVALID_ARGUMENT.0
                };
                self.prepare_prefix_out(p);
                let before = words(&self.bufs[i]);
                let prefix: *mut iggy_prefix = &mut self.prefixes[p];
                // SAFETY: the aliasing is what is tested; nothing is written on error.
                let status =
                    unsafe { iggy_buf_split_at(&mut self.bufs[i], 0, prefix, prefix.cast()) };
                self.expect_status(status, want);
                if words(&self.bufs[i]) != before {
                    self.fail("split_at changed the buffer on an aliasing error".into());
                }
                let mut pp = core::mem::take(&mut self.prefixes[p]);
                self.untouched_out(&mut pp, "buf_split_at (alias)");
            }
            _ => {
                // prefix_freeze into the prefix's own memory.
                self.note("prefix_freeze(p{}, &p{}) alias", &[p, p]);
                let want = if self.mprefixes[p].is_none() {
                    Status::EMPTY_HANDLE.0
                } else {
                    Status::INVALID_ARGUMENT.0
                };
                let before = words(&self.prefixes[p]);
                let prefix: *mut iggy_prefix = &mut self.prefixes[p];
                // SAFETY: as above.
                let status = unsafe { iggy_prefix_freeze(prefix, prefix.cast()) };
                self.expect_status(status, want);
                if words(&self.prefixes[p]) != before {
                    self.fail("prefix_freeze changed the prefix on an aliasing error".into());
                }
                let _ = f;
            }
        }
    }

    /// NULL arguments: `Status::NULL_ARGUMENT.0` first, nothing changed.
    fn op_null(&mut self, input: &mut Input<'_>) {
        let (i, p, f, o) = (input.buf(), input.prefix(), input.frozen(), input.frozen());
        let which = input.byte() % 10;
        self.note(
            "null #{} (b{}, p{}, f{}, f{})",
            &[usize::from(which), i, p, f, o],
        );
        let before = (
            words(&self.bufs[i]),
            words(&self.prefixes[p]),
            words(&self.frozens[f]),
            words(&self.frozens[o]),
        );
        let null_buf = core::ptr::null_mut::<iggy_buf>();
        let null_prefix = core::ptr::null_mut::<iggy_prefix>();
        let null_frozen = core::ptr::null_mut::<iggy_frozen>();
        let (b, pr): (*mut iggy_buf, *mut iggy_prefix) = (&mut self.bufs[i], &mut self.prefixes[p]);
        let (fr, out): (*mut iggy_frozen, *mut iggy_frozen) =
            (&mut self.frozens[f], &mut self.frozens[o]);
        // SAFETY: slots of this harness or NULL; every call must return before touching
        // anything.
        let status = unsafe {
            match which {
                0 => iggy_buf_split_at(b, 0, null_prefix, fr),
                1 => iggy_buf_split_at(null_buf, 0, pr, fr),
                2 => iggy_buf_freeze(b, null_frozen),
                3 => iggy_frozen_clone(fr, null_frozen),
                4 => iggy_frozen_slice(null_frozen, 0, 0, out),
                5 => iggy_frozen_split_at(fr, 0, pr, null_frozen),
                6 => iggy_prefix_coalesce(pr, null_frozen, out),
                7 => iggy_prefix_freeze(null_prefix, out),
                8 => iggy_buf_copy_from(core::ptr::null(), 1, b),
                _ => iggy_buf_set_len(null_buf, 0),
            }
        };
        self.expect_status(status, Status::NULL_ARGUMENT.0);
        let after = (
            words(&self.bufs[i]),
            words(&self.prefixes[p]),
            words(&self.frozens[f]),
            words(&self.frozens[o]),
        );
        if after != before {
            self.fail("a NULL-argument error changed a handle".into());
        }
        // Accessors and predicates on NULL.
        // SAFETY: NULL is accepted by every accessor.
        unsafe {
            let ok = iggy_buf_data(null_buf).is_null()
                && iggy_buf_len(null_buf) == 0
                && iggy_buf_capacity(null_buf) == 0
                && iggy_buf_is_empty(null_buf)
                && iggy_prefix_data(null_prefix).is_null()
                && iggy_prefix_len(null_prefix) == 0
                && iggy_prefix_is_empty(null_prefix)
                && iggy_frozen_data(null_frozen).is_null()
                && iggy_frozen_len(null_frozen) == 0
                && iggy_frozen_is_empty(null_frozen)
                && !iggy_prefix_aliases(null_prefix, fr)
                && !iggy_prefix_can_coalesce(pr, null_frozen);
            if !ok {
                self.fail("an accessor on NULL returned something".into());
            }
            iggy_buf_free(null_buf);
            iggy_prefix_free(null_prefix);
            iggy_frozen_release(null_frozen);
        }
    }

    /// Sizes above `isize::MAX - 4095`: `Status::OUT_OF_MEMORY.0` before the allocator.
    fn op_huge(&mut self, input: &mut Input<'_>) {
        let i = input.buf();
        let n = input.huge();
        let which = input.byte() % 3;
        self.note("huge #{} (b{}, {})", &[usize::from(which), i, n]);
        if which == 2 {
            // Also a length + additional that overflows.
            let before = words(&self.bufs[i]);
            // SAFETY: a slot.
            let status = unsafe { iggy_buf_reserve(&mut self.bufs[i], usize::MAX - (n & 0xff)) };
            let want = if self.mbufs[i].is_some() {
                Status::OUT_OF_MEMORY.0
            } else {
                Status::EMPTY_HANDLE.0
            };
            self.expect_status(status, want);
            if words(&self.bufs[i]) != before {
                self.fail("reserve changed the buffer on error".into());
            }
            return;
        }
        self.prepare_buf_out(i);
        let ever = (self.stats)().buffers_ever;
        // SAFETY: a writable slot.
        let status = unsafe {
            if which == 0 {
                iggy_buf_new_zeroed(n, &mut self.bufs[i])
            } else {
                iggy_buf_with_capacity(n, &mut self.bufs[i])
            }
        };
        self.expect_status(status, Status::OUT_OF_MEMORY.0);
        if (self.stats)().buffers_ever != ever {
            self.fail("a huge size reached the allocator".into());
        }
        let mut bb = core::mem::take(&mut self.bufs[i]);
        self.untouched_out(&mut bb, "huge allocation");
    }

    // --- the checks ---------------------------------------------------------------------

    /// After a step: the slots in `changed` in full, and the live buffer count. An
    /// operation hands the library only the slots it picked from the input (which
    /// marks them), so no other handle can change; the bytes of other views change
    /// only when written through a view of the same allocation, and a write marks
    /// every view of that allocation.
    fn check_changed(&mut self, changed: u32) {
        for i in 0..BUFS {
            if changed & slot_bit(Kind::Buf, i) != 0 {
                self.check_buf(i);
            }
        }
        for p in 0..PREFIXES {
            if changed & slot_bit(Kind::Prefix, p) != 0 {
                self.check_prefix(p);
            }
        }
        for f in 0..FROZENS {
            if changed & slot_bit(Kind::Frozen, f) != 0 {
                self.check_frozen(f);
            }
        }
        self.check_live_buffers();
    }

    /// Every slot in full, and the live buffer count.
    fn check_all(&mut self) {
        for i in 0..BUFS {
            self.check_buf(i);
        }
        for p in 0..PREFIXES {
            self.check_prefix(p);
        }
        for f in 0..FROZENS {
            self.check_frozen(f);
        }
        self.check_live_buffers();
    }

    fn check_live_buffers(&self) {
        let live = (self.stats)().live_buffers - self.base_buffers;
        let want = self.expected_buffers();
        if live != want {
            self.fail(format!("{live} buffers alive, the model expects {want}"));
        }
    }

    fn check_buf(&mut self, i: usize) {
        let h: *mut iggy_buf = &mut self.bufs[i];
        // SAFETY: a slot of this harness.
        let (empty, data, len, capacity) = unsafe {
            (
                iggy_buf_is_empty(h),
                iggy_buf_data(h),
                iggy_buf_len(h),
                iggy_buf_capacity(h),
            )
        };
        match &self.mbufs[i] {
            None => {
                if !(empty && data.is_null() && len == 0 && capacity == 0) {
                    self.fail(format!("b{i}: an empty buffer reads as live"));
                }
            }
            Some(m) => {
                if empty || data.is_null() || data.addr() % 4096 != 0 {
                    self.fail(format!("b{i}: live buffer empty, NULL or misaligned"));
                }
                if (len, capacity) != (m.len, m.capacity) {
                    self.fail(format!(
                        "b{i}: (len, capacity) = {:?}, model {:?}",
                        (len, capacity),
                        (m.len, m.capacity)
                    ));
                }
                if len > 0 {
                    // SAFETY: `[0, len)` is initialised.
                    let got = unsafe { core::slice::from_raw_parts(data, len) };
                    if got != &m.init[..len] {
                        self.fail(format!("b{i}: contents differ from the model"));
                    }
                }
            }
        }
    }

    fn check_prefix(&mut self, p: usize) {
        let h: *mut iggy_prefix = &mut self.prefixes[p];
        // SAFETY: a slot of this harness.
        let (empty, data, len) = unsafe {
            (
                iggy_prefix_is_empty(h),
                iggy_prefix_data(h),
                iggy_prefix_len(h),
            )
        };
        self.check_view(self.mprefixes[p], empty, data, len, ('p', p));
    }

    fn check_frozen(&mut self, f: usize) {
        let h: *const iggy_frozen = &self.frozens[f];
        // SAFETY: a slot of this harness.
        let (empty, data, len) = unsafe {
            (
                iggy_frozen_is_empty(h),
                iggy_frozen_data(h),
                iggy_frozen_len(h),
            )
        };
        self.check_view(self.mfrozens[f], empty, data.cast_mut(), len, ('f', f));
    }

    fn check_view(
        &mut self,
        model: Option<View>,
        empty: bool,
        data: *mut u8,
        len: usize,
        (kind, slot): (char, usize),
    ) {
        let Some(v) = model else {
            if !(empty && data.is_null() && len == 0) {
                self.fail(format!("{kind}{slot}: an empty handle reads as live"));
            }
            return;
        };
        if empty || data.is_null() || len != v.len {
            self.fail(format!(
                "{kind}{slot}: live view empty, NULL or len {len} != {}",
                v.len
            ));
        }
        // Every view of one allocation agrees on its base, which is 4096-aligned.
        let base = data.addr().wrapping_sub(v.offset);
        if base % 4096 != 0 {
            self.fail(format!(
                "{kind}{slot}: allocation base {base:#x} not 4096-aligned"
            ));
        }
        match self.allocs[v.alloc].base {
            Some(b) if b != base => {
                self.fail(format!("{kind}{slot}: views of one allocation disagree"))
            }
            _ => self.allocs[v.alloc].base = Some(base),
        }
        if len > 0 {
            // SAFETY: a live view of `len` readable bytes.
            let got = unsafe { core::slice::from_raw_parts(data, len) };
            if got != self.view_bytes(v) {
                self.fail(format!(
                    "{kind}{slot}: contents differ from the model ({v:?})"
                ));
            }
        }
    }
}

fn status_text(status: iggy_status) -> String {
    // SAFETY: never NULL, static.
    unsafe { std::ffi::CStr::from_ptr(iggy_status_str(status)) }
        .to_string_lossy()
        .into_owned()
}

/// The whole check on one input: runs it, releases everything, and asserts that every
/// allocation (of any kind, the model's own included) is freed.
pub fn check(data: &[u8], stats: fn() -> Stats) {
    let before = stats().live_only();
    {
        let mut harness = Harness::new(stats);
        harness.run(&mut Input::new(data));
    }
    let after = stats().live_only();
    assert_eq!(
        after, before,
        "allocations (live, bytes, buffers, buffer bytes) leaked"
    );
}
