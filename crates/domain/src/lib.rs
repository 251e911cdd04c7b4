//! Typed domain values. Each is constructed only through a parser that checks
//! it, so a handler holding a [`LoginId`] or an [`IpRule`] knows it is valid
//! and never re-checks. Parse errors are [`Invalid`] values (a code the UI
//! translates, an English message), attached to the offending field by the
//! caller.

mod account;
pub mod codes;
mod ip;
mod role;
mod tenant;

pub use account::{LoginId, NewPassword, PersonName};
pub use ip::{IpAllowlist, IpRule, canonical_ip as ip_canonical};
pub use role::{Permission, Role};
pub use tenant::{CompanyField, Email, LicenceCount, Plan, ServicePeriod, TimeZoneName};

pub use codes::{ErrorCode, FieldCode, Invalid};

/// Why a value was refused: a code for the UI and a message (see [`codes`]).
pub type ParseError = Invalid;
