//! IP addresses and CIDR ranges for access management (ACC-1).

use crate::{FieldCode, Invalid};
use serde::Serialize;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One allowlist entry: an address or a CIDR range, IPv4 or IPv6, kept in
/// canonical form (`10.1.2.3/8` becomes `10.0.0.0/8`; a single address is a
/// /32 or /128 and prints without the suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpRule {
    network: IpAddr,
    prefix: u8,
}

/// IPv4 clients seen over an IPv6 socket arrive as `::ffff:a.b.c.d`; they are
/// matched as the IPv4 address they are.
pub fn canonical_ip(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    }
}

fn mask_v4(addr: Ipv4Addr, prefix: u8) -> Ipv4Addr {
    let bits = u32::from(addr);
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    Ipv4Addr::from(bits & mask)
}

fn mask_v6(addr: Ipv6Addr, prefix: u8) -> Ipv6Addr {
    let bits = u128::from(addr);
    let mask = if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    };
    Ipv6Addr::from(bits & mask)
}

impl IpRule {
    pub fn parse(input: &str) -> Result<IpRule, crate::ParseError> {
        let s = input.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| {
            Invalid::new(
                FieldCode::IpRule,
                format!("\"{s}\" is not an IPv4 or IPv6 address or CIDR range."),
            )
        })?;
        let addr = canonical_ip(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| {
                Invalid::new(
                    FieldCode::IpPrefix,
                    format!("The prefix length must be 0 to {max}."),
                )
                .with("max", max)
            })?,
        };
        let network = match addr {
            IpAddr::V4(v4) => IpAddr::V4(mask_v4(v4, prefix)),
            IpAddr::V6(v6) => IpAddr::V6(mask_v6(v6, prefix)),
        };
        Ok(IpRule { network, prefix })
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.network, canonical_ip(addr)) {
            (IpAddr::V4(net), IpAddr::V4(a)) => mask_v4(a, self.prefix) == net,
            (IpAddr::V6(net), IpAddr::V6(a)) => mask_v6(a, self.prefix) == net,
            _ => false,
        }
    }
}

impl fmt::Display for IpRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let max = if self.network.is_ipv4() { 32 } else { 128 };
        if self.prefix == max {
            write!(f, "{}", self.network)
        } else {
            write!(f, "{}/{}", self.network, self.prefix)
        }
    }
}

impl Serialize for IpRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A tenant's allowlist. Empty allows everyone (ACC-1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpAllowlist(Vec<IpRule>);

impl IpAllowlist {
    pub fn new(rules: Vec<IpRule>) -> Self {
        Self(rules)
    }

    /// Whether `addr` may use the admin API. An unknown address (the runtime
    /// did not say) is refused by a non-empty list.
    pub fn allows(&self, addr: Option<IpAddr>) -> bool {
        if self.0.is_empty() {
            return true;
        }
        addr.is_some_and(|a| self.0.iter().any(|r| r.contains(a)))
    }

    pub fn rules(&self) -> &[IpRule] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn rules_are_canonical() {
        assert_eq!(
            IpRule::parse("10.1.2.3/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            IpRule::parse(" 192.0.2.7 ").unwrap().to_string(),
            "192.0.2.7"
        );
        assert_eq!(
            IpRule::parse("192.0.2.7/32").unwrap().to_string(),
            "192.0.2.7"
        );
        assert_eq!(
            IpRule::parse("2001:DB8:0:0:1::/32").unwrap().to_string(),
            "2001:db8::/32"
        );
        assert_eq!(
            IpRule::parse("::ffff:192.0.2.1").unwrap().to_string(),
            "192.0.2.1"
        );
    }

    #[test]
    fn bad_rules_say_why() {
        assert!(IpRule::parse("300.1.1.1").is_err());
        assert!(IpRule::parse("10.0.0.0/33").is_err());
        assert!(IpRule::parse("2001:db8::/129").is_err());
        assert!(IpRule::parse("10.0.0.0/-1").is_err());
        assert!(IpRule::parse("example.com").is_err());
        assert!(IpRule::parse("").is_err());
    }

    #[test]
    fn ranges_contain_their_addresses_only() {
        let r = IpRule::parse("203.0.113.0/24").unwrap();
        assert!(r.contains(ip("203.0.113.255")));
        assert!(r.contains(ip("::ffff:203.0.113.9")));
        assert!(!r.contains(ip("203.0.114.1")));
        assert!(!r.contains(ip("2001:db8::1")));
        let v6 = IpRule::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")));
        assert!(!v6.contains(ip("2001:db9::1")));
        assert!(IpRule::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
    }

    #[test]
    fn an_empty_list_allows_everyone_and_a_list_refuses_unknown_peers() {
        assert!(IpAllowlist::default().allows(None));
        let list = IpAllowlist::new(vec![IpRule::parse("127.0.0.1").unwrap()]);
        assert!(list.allows(Some(ip("127.0.0.1"))));
        assert!(!list.allows(Some(ip("127.0.0.2"))));
        assert!(!list.allows(None));
    }
}
