//! Typed domain values. Each is constructed only through a parser that checks
//! it, so a handler holding a [`LoginId`] or an [`IpRule`] knows it is valid
//! and never re-checks. Parse errors are plain messages meant for the user,
//! attached to the offending field by the caller.

mod account;
mod ip;
mod role;
mod tenant;

pub use account::{LoginId, NewPassword, PersonName};
pub use ip::{IpAllowlist, IpRule, canonical_ip as ip_canonical};
pub use role::{Permission, Role};
pub use tenant::{CompanyField, Email, LicenceCount, Plan, ServicePeriod, TimeZoneName};

/// A message for the user explaining why a value was refused.
pub type ParseError = String;
