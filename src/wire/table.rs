//! The protocol's tables as data, and the macros that declare them.
//!
//! Every protocol fact is written once, in a declaration that is both code and data:
//!
//! * a header type's fields, types, offsets and docs: one [`header!`] invocation in the
//!   header's own file, which defines the Rust struct, asserts its layout at compile
//!   time and records a [`HeaderLayout`];
//! * an enum byte's values and names: one [`wire_enum!`] invocation, which defines the
//!   Rust enum and records an [`EnumTable`];
//! * the commands (byte, name, checksum kind, frame header, inbound route): the
//!   `commands!` table in `command.rs`; the dispatch variants in `dispatch.rs`; the
//!   status codes and their texts in `crate::status`.
//!
//! What reads the recorded tables: the name and description functions (`describe.rs`),
//! and the generator (`gen/`, run by `make gen`), which writes the C views, the C
//! constants and static assertions, and the Go views and constants from them.

use super::HEADER_SIZE;

/// The type of a header field, as the tables record it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A `u8` that is a number.
    U8,
    /// A little-endian `u32`.
    U32,
    /// A little-endian `u64`.
    U64,
    /// A little-endian `u128` (two `u64` halves in C and Go, least significant first).
    U128,
    /// A byte array of this length (reserved bytes, padding, opaque data).
    Bytes(usize),
    /// One byte holding a value of this enum; other values are invalid bit patterns.
    Enum(&'static EnumTable),
}

impl FieldType {
    /// The field's width in bytes.
    pub const fn size(self) -> usize {
        match self {
            FieldType::U8 | FieldType::Enum(_) => 1,
            FieldType::U32 => 4,
            FieldType::U64 => 8,
            FieldType::U128 => 16,
            FieldType::Bytes(n) => n,
        }
    }
}

/// One field of a header type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldLayout {
    /// The wire name, as in the reference (`request_checksum`).
    pub name: &'static str,
    /// Byte offset in the 256-byte header.
    pub offset: usize,
    /// The field's type.
    pub ty: FieldType,
    /// What the field means (the doc comment of the declaration, one line per line).
    pub doc: &'static str,
}

/// One header type: its name and fields in offset order, the shared preamble first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderLayout {
    /// The reference's type name (`PrepareOkHeader`).
    pub name: &'static str,
    /// What the header is for (the doc comment of the declaration).
    pub doc: &'static str,
    /// Every field, in offset order; together they cover bytes `[0, 256)`.
    pub fields: &'static [FieldLayout],
}

/// One value of an enum byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnumValue {
    /// The reference's variant name (`PrepareOk`).
    pub name: &'static str,
    /// The byte.
    pub value: u8,
    /// What the value means (may be empty).
    pub doc: &'static str,
}

/// An enum byte of the wire format: its name and every defined value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnumTable {
    /// The reference's type name (`Operation`).
    pub name: &'static str,
    /// What the enum is.
    pub doc: &'static str,
    /// The defined values, in declaration order.
    pub values: &'static [EnumValue],
}

impl EnumTable {
    /// The name of `value`, if it is defined.
    pub fn name_of(&self, value: u8) -> Option<&'static str> {
        self.values
            .iter()
            .find(|v| v.value == value)
            .map(|v| v.name)
    }
}

/// The Rust types a header field may have, and what the tables call them.
pub trait WireType {
    /// The recorded type.
    const TYPE: FieldType;
}

impl WireType for u8 {
    const TYPE: FieldType = FieldType::U8;
}
impl WireType for u32 {
    const TYPE: FieldType = FieldType::U32;
}
impl WireType for u64 {
    const TYPE: FieldType = FieldType::U64;
}
impl WireType for u128 {
    const TYPE: FieldType = FieldType::U128;
}
impl<const N: usize> WireType for [u8; N] {
    const TYPE: FieldType = FieldType::Bytes(N);
}

/// Checks at compile time that a recorded layout tiles the 256 bytes: the fields are
/// in offset order, each starts where the previous ended, and the last ends at 256.
pub(crate) const fn assert_tiles(layout: &HeaderLayout) {
    let mut next = 0;
    let mut i = 0;
    while i < layout.fields.len() {
        let field = &layout.fields[i];
        assert!(
            field.offset == next,
            "a header field does not start where the last ended"
        );
        next = field.offset + field.ty.size();
        i += 1;
    }
    assert!(
        next == HEADER_SIZE,
        "a header's fields do not end at byte 256"
    );
}

/// Declares an enum byte of the wire format: the `#[repr(u8)]` Rust enum (its
/// `CheckedBitPattern` derive is the bit-pattern check), `from_u8`, `name`, and its
/// [`EnumTable`](crate::wire::table::EnumTable) as `TABLE`.
macro_rules! wire_enum {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $value:tt, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[repr(u8)]
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash,
            bytemuck::CheckedBitPattern, bytemuck::NoUninit, bytemuck::Zeroable,
        )]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant = $value, )*
        }

        impl $name {
            /// Every value, with its name and doc.
            pub const TABLE: $crate::wire::table::EnumTable = $crate::wire::table::EnumTable {
                name: stringify!($name),
                doc: concat!($($doc, "\n",)*),
                values: &[$(
                    $crate::wire::table::EnumValue {
                        name: stringify!($variant),
                        value: $value,
                        doc: concat!($($vdoc, "\n",)*),
                    },
                )*],
            };

            /// Every byte's value, if it is defined: [`Self::from_u8`] as one load
            /// (an `Option` of a one-byte enum is one byte).
            const BY_BYTE: [Option<Self>; 256] = {
                let mut by_byte = [None; 256];
                $( by_byte[$value as usize] = Some(Self::$variant); )*
                by_byte
            };

            /// The value with this byte, if it is defined (the bit-pattern check: a
            /// table lookup, the same verdict as the `CheckedBitPattern` derive).
            #[inline(always)]
            pub fn from_u8(byte: u8) -> Option<Self> {
                Self::BY_BYTE[byte as usize]
            }

            /// The reference's name of the value (`PrepareOk`).
            pub const fn name(self) -> &'static str {
                match self {
                    $( Self::$variant => stringify!($variant), )*
                }
            }

            /// [`Self::name`], NUL-terminated (for C).
            pub const fn c_name(self) -> &'static core::ffi::CStr {
                match self {
                    $( Self::$variant => match core::ffi::CStr::from_bytes_with_nul(
                        concat!(stringify!($variant), "\0").as_bytes(),
                    ) {
                        Ok(name) => name,
                        Err(_) => panic!("a name holds a NUL byte"),
                    }, )*
                }
            }
        }

        impl $crate::wire::table::WireType for $name {
            const TYPE: $crate::wire::table::FieldType =
                $crate::wire::table::FieldType::Enum(&$name::TABLE);
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
pub(crate) use wire_enum;

/// Declares a header type: the flat `#[repr(C)]` struct with the shared preamble
/// (bytes 0–127) and then the listed fields, each with its offset. Asserts at compile
/// time that the struct is 256 bytes, aligned to 16, with every field at its offset and
/// the fields tiling the header, and records the
/// [`HeaderLayout`](crate::wire::table::HeaderLayout) as `LAYOUT`.
///
/// `pub struct Name = Other;` declares a header with `Other`'s layout under a new name
/// (a `#[repr(transparent)]` wrapper that dereferences to `Other`).
macro_rules! header {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident = $inner:ident;
    ) => {
        $(#[doc = $doc])*
        #[repr(transparent)]
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq,
            bytemuck::CheckedBitPattern, bytemuck::NoUninit, bytemuck::Zeroable,
        )]
        pub struct $name(pub $inner);

        const _: () = assert!(core::mem::size_of::<$name>() == $crate::wire::HEADER_SIZE);
        impl $crate::wire::header::sealed::Sealed for $name {}

        impl $name {
            /// The type's layout: `
            #[doc = stringify!($inner)]
            /// `'s fields under this name.
            pub const LAYOUT: $crate::wire::table::HeaderLayout =
                $crate::wire::table::HeaderLayout {
                    name: stringify!($name),
                    doc: concat!($($doc, "\n",)*),
                    fields: $inner::LAYOUT.fields,
                };
        }

        impl core::ops::Deref for $name {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.0
            }
        }

        impl core::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $inner {
                &mut self.0
            }
        }
    };
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $($fields:tt)*
        }
    ) => {
        $crate::wire::table::header! {
            @struct
            $(#[doc = $doc])*
            $name {
                /// The frame's checksum: the frame seal (XXH3-64 of bytes 16..256) on
                /// sealed commands, the prepare identity on Prepare and RepairPrepare,
                /// otherwise not set by this layer. 0 means not stamped.
                checksum: u128 = 0,
                /// XXH3-64 of the body (bytes 256..size), where the frame type carries
                /// it; never verified by this library.
                checksum_body: u128 = 16,
                /// The cluster id: every replica and client of one cluster uses the
                /// same value.
                cluster: u128 = 32,
                /// The frame's total length in bytes, header included (at least 256,
                /// at most 64 MiB on TCP).
                size: u32 = 48,
                /// The view number of the sender: the term of the primary it follows.
                view: u32 = 52,
                /// The sender's software release (a version number).
                release: u32 = 56,
                /// The message type (byte 60); every other byte is read in its light.
                command: $crate::wire::Command = 60,
                /// The sender's replica index in the cluster (0 for clients).
                replica: u8 = 61,
                /// Reserved bytes of the preamble.
                reserved_frame: [u8; 66] = 62,
                $($fields)*
            }
        }
    };
    (
        @struct
        $(#[doc = $doc:literal])*
        $name:ident {
            $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty = $offset:literal, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[repr(C)]
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq,
            bytemuck::CheckedBitPattern, bytemuck::NoUninit, bytemuck::Zeroable,
        )]
        pub struct $name {
            $( $(#[doc = $fdoc])* pub $field: $ty, )*
        }

        impl $name {
            /// The type's fields, offsets and docs, as the tables record them.
            pub const LAYOUT: $crate::wire::table::HeaderLayout =
                $crate::wire::table::HeaderLayout {
                    name: stringify!($name),
                    doc: concat!($($doc, "\n",)*),
                    fields: &[$(
                        $crate::wire::table::FieldLayout {
                            name: stringify!($field),
                            offset: $offset,
                            ty: <$ty as $crate::wire::table::WireType>::TYPE,
                            doc: concat!($($fdoc, "\n",)*),
                        },
                    )*],
                };
        }

        const _: () = {
            use core::mem::{align_of, offset_of, size_of};
            assert!(size_of::<$name>() == $crate::wire::HEADER_SIZE);
            assert!(align_of::<$name>() == 16);
            $( assert!(offset_of!($name, $field) == $offset); )*
            $crate::wire::table::assert_tiles(&$name::LAYOUT);
        };

        impl $crate::wire::header::sealed::Sealed for $name {}
    };
}
pub(crate) use header;

#[cfg(test)]
mod tests {
    use super::{FieldLayout, FieldType, HeaderLayout, assert_tiles};

    const fn field(offset: usize, ty: FieldType) -> FieldLayout {
        FieldLayout {
            name: "f",
            offset,
            ty,
            doc: "",
        }
    }

    /// `assert_tiles` on these fields (it runs at compile time for every header; here
    /// at run time, on layouts no header has).
    fn tiles(fields: &'static [FieldLayout]) {
        assert_tiles(&HeaderLayout {
            name: "T",
            doc: "",
            fields,
        });
    }

    #[test]
    fn fields_that_tile_the_256_bytes_pass() {
        const FIELDS: &[FieldLayout] =
            &[field(0, FieldType::U128), field(16, FieldType::Bytes(240))];
        tiles(FIELDS);
    }

    #[test]
    #[should_panic(expected = "does not start where the last ended")]
    fn a_gap_between_fields_is_refused() {
        const FIELDS: &[FieldLayout] = &[field(0, FieldType::U64), field(9, FieldType::Bytes(247))];
        tiles(FIELDS);
    }

    #[test]
    #[should_panic(expected = "do not end at byte 256")]
    fn fields_that_stop_short_of_256_bytes_are_refused() {
        const FIELDS: &[FieldLayout] =
            &[field(0, FieldType::U128), field(16, FieldType::Bytes(239))];
        tiles(FIELDS);
    }
}
