//! One line describing a frame's header, for logs: the command, the size, the header
//! type's fields by their wire names (from the layout tables), and the verdict of
//! [`validate_frame`]. Reads any bytes at any alignment and allocates nothing.
//!
//! ```text
//! Commit size=256 view=3 replica=1 commit_checksum=0 timestamp_monotonic=17 commit=41 checkpoint_op=0 group=9223372036854775808: ok
//! Commit size=256 view=3 replica=1 ...: IGGY_ERR_FRAME_CHECKSUM_MISMATCH (header checksum does not cover the frame)
//! frame of 12 bytes, shorter than the 256-byte header: IGGY_ERR_INVALID_COMMAND (frame is shorter than the 256-byte header)
//! ```

use super::header::GenericHeader;
use super::table::{FieldLayout, FieldType};
use super::validate::validate_frame;
use super::{COMMAND_OFFSET, Command, HEADER_SIZE};
use core::fmt::{self, Write};

/// The preamble fields a description shows; the rest of the preamble (checksums,
/// cluster, release, reserved bytes) is left out as noise.
const PREAMBLE_SHOWN: [&str; 2] = ["view", "replica"];

/// Writes the description of `frame` to `out`.
pub fn describe(frame: &[u8], out: &mut impl Write) -> fmt::Result {
    let command = frame.get(COMMAND_OFFSET).copied();
    let name = command.map(|byte| Command::from_u8(byte).map(Command::name));
    match (frame.get(..HEADER_SIZE), name) {
        (Some(header), Some(name)) => {
            write_command(out, name, header[COMMAND_OFFSET])?;
            let size = u32::from_le_bytes(header[48..52].try_into().expect("4 bytes"));
            write!(out, " size={size}")?;
            let layout = Command::from_u8(header[COMMAND_OFFSET])
                .and_then(Command::frame_header)
                .unwrap_or(&GenericHeader::LAYOUT);
            for field in layout.fields {
                if field.offset >= 128 || PREAMBLE_SHOWN.contains(&field.name) {
                    write_field(out, header, field)?;
                }
            }
        }
        (None, Some(name)) => {
            write_command(out, name, frame[COMMAND_OFFSET])?;
            write!(
                out,
                " frame of {} bytes, shorter than the 256-byte header",
                frame.len()
            )?;
        }
        (_, None) => write!(
            out,
            "frame of {} bytes, shorter than the 256-byte header",
            frame.len()
        )?,
    }
    match validate_frame(frame) {
        Ok(_) => out.write_str(": ok"),
        Err(e) => write!(
            out,
            ": {} ({})",
            e.error.status().name().to_str().unwrap_or("?"),
            e.reason().to_str().unwrap_or("?")
        ),
    }
}

/// The command's name, or `unknown(N)` for an undefined byte.
fn write_command(out: &mut impl Write, name: Option<&str>, byte: u8) -> fmt::Result {
    match name {
        Some(name) => out.write_str(name),
        None => write!(out, "unknown({byte})"),
    }
}

/// ` name=value` for a number or an enum; byte arrays are not shown.
fn write_field(out: &mut impl Write, header: &[u8], field: &FieldLayout) -> fmt::Result {
    let bytes = &header[field.offset..field.offset + field.ty.size()];
    let name = field.name;
    match field.ty {
        FieldType::U8 => write!(out, " {name}={}", bytes[0]),
        FieldType::U32 => write!(out, " {name}={}", le(bytes)),
        FieldType::U64 => write!(out, " {name}={}", le(bytes)),
        FieldType::U128 => write!(out, " {name}={}", le(bytes)),
        FieldType::Enum(table) => match table.name_of(bytes[0]) {
            Some(value) => write!(out, " {name}={value}"),
            None => write!(out, " {name}=unknown({})", bytes[0]),
        },
        FieldType::Bytes(_) => Ok(()),
    }
}

/// A little-endian unsigned number of up to 16 bytes.
fn le(bytes: &[u8]) -> u128 {
    bytes
        .iter()
        .rev()
        .fold(0, |value, &b| (value << 8) | u128::from(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::checksum::seal;

    fn text(frame: &[u8]) -> String {
        let mut out = String::new();
        describe(frame, &mut out).unwrap();
        out
    }

    fn header(command: u8) -> Vec<u8> {
        let mut f = vec![0u8; 256];
        f[48..52].copy_from_slice(&256u32.to_le_bytes());
        f[52] = 3; // view
        f[60] = command;
        f[61] = 1; // replica
        f
    }

    #[test]
    fn a_sealed_commit_shows_its_fields_and_ok() {
        let mut f = header(9);
        f[152] = 41; // commit
        seal(&mut f).unwrap();
        assert_eq!(
            text(&f),
            "Commit size=256 view=3 replica=1 commit_checksum=0 timestamp_monotonic=0 \
             commit=41 checkpoint_op=0 group=0: ok"
        );
    }

    #[test]
    fn a_rejected_frame_shows_the_status_name_and_reason() {
        let f = header(9);
        assert!(text(&f).ends_with(
            ": IGGY_ERR_FRAME_CHECKSUM_MISMATCH (header checksum does not cover the frame)"
        ));
    }

    #[test]
    fn enums_are_named_and_undefined_values_numbered() {
        let mut f = header(5);
        f[176] = 160; // operation
        assert!(
            text(&f).contains(" operation=SendMessages "),
            "{}",
            text(&f)
        );
        f[176] = 7;
        assert!(text(&f).contains(" operation=unknown(7) "));
        let f = header(30);
        assert!(text(&f).starts_with("unknown(30) size=256 view=3 replica=1: "));
    }

    #[test]
    fn short_frames_are_described_as_such() {
        assert_eq!(
            text(&[0; 12]),
            "frame of 12 bytes, shorter than the 256-byte header: \
             IGGY_ERR_INVALID_COMMAND (frame is shorter than the 256-byte header)"
        );
        assert!(text(&header(9)[..100]).starts_with("Commit frame of 100 bytes, shorter"));
        assert!(text(&[]).starts_with("frame of 0 bytes"));
    }

    #[test]
    fn u128_fields_are_decimal() {
        let mut f = header(5);
        f[128..144].copy_from_slice(&u128::MAX.to_le_bytes());
        assert!(text(&f).contains(&format!(" client={} ", u128::MAX)));
    }
}
