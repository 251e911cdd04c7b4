//! Which address a request comes from (ACC-1).
//!
//! The runtime's peer address is the truth. `X-Forwarded-For` is believed only
//! when that peer is one of the proxies named in the `trusted_proxies`
//! variable; then the client is the right-most address in the header that is
//! not itself a trusted proxy (proxies append, so anything to its left could
//! have been written by the client).

use std::net::IpAddr;
use switchboard_domain::IpRule;

/// Parses the `trusted_proxies` variable, ignoring empty entries. Invalid
/// entries are reported so a misconfiguration is visible in the log.
pub fn parse_trusted(list: &str) -> (Vec<IpRule>, Vec<String>) {
    let mut rules = Vec::new();
    let mut bad = Vec::new();
    for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        match IpRule::parse(entry) {
            Ok(rule) => rules.push(rule),
            Err(_) => bad.push(entry.to_owned()),
        }
    }
    (rules, bad)
}

pub fn client_ip(
    peer: Option<IpAddr>,
    forwarded_for: Option<&str>,
    trusted: &[IpRule],
) -> Option<IpAddr> {
    let peer = peer.map(switchboard_domain::ip_canonical)?;
    let is_trusted = |a: IpAddr| trusted.iter().any(|r| r.contains(a));
    if !is_trusted(peer) {
        return Some(peer);
    }
    let Some(header) = forwarded_for else {
        return Some(peer);
    };
    for part in header.rsplit(',') {
        let Some(addr) = hop_address(part) else {
            // A garbled hop: stop believing the header here.
            return Some(peer);
        };
        let addr = switchboard_domain::ip_canonical(addr);
        if !is_trusted(addr) {
            return Some(addr);
        }
    }
    Some(peer)
}

/// One `X-Forwarded-For` entry: an address, optionally with a port
/// (`203.0.113.7:4444`, `[2001:db8::1]:443`) or in brackets.
fn hop_address(part: &str) -> Option<IpAddr> {
    let part = part.trim();
    if let Ok(addr) = part.parse::<IpAddr>() {
        return Some(addr);
    }
    if let Ok(sock) = part.parse::<std::net::SocketAddr>() {
        return Some(sock.ip());
    }
    part.strip_prefix('[')
        .and_then(|p| p.strip_suffix(']'))
        .and_then(|p| p.parse::<std::net::Ipv6Addr>().ok())
        .map(IpAddr::V6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_headers_from_strangers_are_ignored() {
        let trusted = parse_trusted("10.0.0.1").0;
        assert_eq!(
            client_ip(Some(ip("198.51.100.7")), Some("1.2.3.4"), &trusted),
            Some(ip("198.51.100.7"))
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client_right_to_left() {
        let (trusted, bad) = parse_trusted(" 10.0.0.0/8 , nonsense,");
        assert_eq!(bad, ["nonsense"]);
        // The client forged "6.6.6.6"; the proxy appended the real address.
        assert_eq!(
            client_ip(
                Some(ip("10.0.0.1")),
                Some("6.6.6.6, 203.0.113.9, 10.0.0.2"),
                &trusted
            ),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            client_ip(Some(ip("10.0.0.1")), None, &trusted),
            Some(ip("10.0.0.1"))
        );
        assert_eq!(
            client_ip(Some(ip("10.0.0.1")), Some("garbage"), &trusted),
            Some(ip("10.0.0.1"))
        );
    }

    #[test]
    fn mapped_ipv4_peers_are_plain_ipv4() {
        assert_eq!(
            client_ip(Some(ip("::ffff:192.0.2.1")), None, &[]),
            Some(ip("192.0.2.1"))
        );
    }

    #[test]
    fn forwarded_entries_with_ports_name_the_client() {
        let trusted = parse_trusted("10.0.0.1").0;
        let proxy = Some(ip("10.0.0.1"));
        for (header, client) in [
            ("203.0.113.7:4444", "203.0.113.7"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("6.6.6.6, 203.0.113.7:4444", "203.0.113.7"),
            ("203.0.113.7:4444, 10.0.0.1:80", "203.0.113.7"),
        ] {
            assert_eq!(
                client_ip(proxy, Some(header), &trusted),
                Some(ip(client)),
                "{header}"
            );
        }
        assert_eq!(client_ip(proxy, Some("[nonsense]:1"), &trusted), proxy);
    }
}
