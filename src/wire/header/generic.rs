//! GenericHeader (§b.1): the type-erased view of any frame.

use super::{GenericHeader, Header, ValidationError};
use crate::wire::command::Command;

impl Header for GenericHeader {
    const COMMAND: Command = Command::Reserved;

    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
}
