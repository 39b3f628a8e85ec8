//! Addresses as `serve` and `send` read and show them: parsing `send`'s `HOST[:PORT]` target,
//! showing IPv4-mapped IPv6 peers as plain IPv4, and Python's `repr` of a socket address (the lab
//! server's `f"Hello, {addr}. …"`).
//!
//! Resolving host names is not done here (see `send`): everything in this module is pure.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use crate::escape::escape;
use crate::i18n::tr;

/// The host part of a target, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A literal IPv4 or IPv6 address.
    Ip(IpAddr),
    /// A link-local (or other scoped) IPv6 address with its zone: `fe80::1%eth0`, `fe80::1%2`.
    Scoped(Ipv6Addr, String),
    /// A name to resolve (`localhost`, `server2.lab`).
    Name(String),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]"),
            Host::Ip(ip) => write!(f, "{ip}"),
            Host::Scoped(ip, zone) => write!(f, "[{ip}%{}]", escape(zone.as_bytes())),
            // Names come from the command line or a script: shown escaped, like any text.
            Host::Name(name) => f.write_str(&escape(name.as_bytes())),
        }
    }
}

/// A parsed `HOST[:PORT]` target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Where to send.
    pub host: Host,
    /// The port: the one in the text, or the default given to [`parse_target`].
    pub port: u16,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// Why a target could not be parsed; the text says which part is wrong. The parts of the target
/// are shown quoted and escaped ([`quoted`]): they may hold anything.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// Nothing before the port.
    EmptyHost(String),
    /// `[` without `]`, or text after `]` that is not `:PORT`.
    Brackets(String),
    /// The text between brackets is not an IPv6 address.
    NotIpv6(String, String),
    /// The port is not a number from 0 to 65535.
    Port(String, String),
    /// Several colons without brackets, and not an IPv6 address.
    Colons(String),
    /// `%` after an address that is not IPv6, or nothing after it.
    Zone(String),
}

/// In the language of the run, the parts of the target quoted ([`quoted`]).
impl std::fmt::Display for TargetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            TargetError::EmptyHost(t) => tr!("target-empty-host", target = quoted(t)),
            TargetError::Brackets(t) => tr!("target-brackets", target = quoted(t)),
            TargetError::NotIpv6(t, a) => {
                tr!("target-not-ipv6", target = quoted(t), address = quoted(a))
            }
            TargetError::Port(t, p) => tr!("target-port", target = quoted(t), port = quoted(p)),
            TargetError::Colons(t) => tr!("target-colons", target = quoted(t)),
            TargetError::Zone(t) => tr!("target-zone", target = quoted(t)),
        })
    }
}

/// `"text"`, escaped for a terminal (a `"` inside is `\"`).
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", escape(text.as_bytes()).replace('"', "\\\""))
}

/// An IPv6 address with an optional `%ZONE`: `fe80::1%lo`, `fe80::1%2`, `::1`.
fn ipv6_host(text: &str) -> Option<Host> {
    match text.split_once('%') {
        None => text
            .parse::<Ipv6Addr>()
            .ok()
            .map(|ip| Host::Ip(IpAddr::V6(ip))),
        Some((ip, zone)) if !zone.is_empty() => {
            let ip = ip.parse::<Ipv6Addr>().ok()?;
            Some(Host::Scoped(ip, zone.to_owned()))
        }
        Some(_) => None,
    }
}

/// Parses `HOST`, `HOST:PORT`, `IPV4:PORT`, `[IPV6]`, `[IPV6]:PORT` or a bare IPv6 address
/// (`::1`, which then has no port: `default_port` is used).
pub fn parse_target(text: &str, default_port: u16) -> Result<Target, TargetError> {
    let (host, port) = split_target(text)?;
    Ok(Target {
        host,
        port: port.unwrap_or(default_port),
    })
}

/// The host of a target, and its port when the text names one.
pub fn split_target(text: &str) -> Result<(Host, Option<u16>), TargetError> {
    let port_of = |p: &str| {
        p.parse::<u16>()
            .map_err(|_| TargetError::Port(text.to_owned(), p.to_owned()))
    };
    if let Some(rest) = text.strip_prefix('[') {
        let (inside, after) = rest
            .split_once(']')
            .ok_or_else(|| TargetError::Brackets(text.to_owned()))?;
        let host = ipv6_host(inside)
            .ok_or_else(|| TargetError::NotIpv6(text.to_owned(), inside.to_owned()))?;
        let port = match after {
            "" => None,
            _ => Some(port_of(
                after
                    .strip_prefix(':')
                    .ok_or_else(|| TargetError::Brackets(text.to_owned()))?,
            )?),
        };
        return Ok((host, port));
    }
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok((Host::Ip(ip), None));
    }
    if text.contains('%') {
        // A bare scoped IPv6 address (`fe80::1%lo`): it has no port, like a bare IPv6 address.
        let host = ipv6_host(text).ok_or_else(|| TargetError::Zone(text.to_owned()))?;
        return Ok((host, None));
    }
    let (host, port) = match text.split_once(':') {
        None => (text, None),
        Some((_, p)) if p.contains(':') => return Err(TargetError::Colons(text.to_owned())),
        Some((h, p)) => (h, Some(port_of(p)?)),
    };
    if host.is_empty() {
        return Err(TargetError::EmptyHost(text.to_owned()));
    }
    let host = match host.parse::<IpAddr>() {
        Ok(ip) => Host::Ip(ip),
        Err(_) => Host::Name(host.to_owned()),
    };
    Ok((host, port))
}

/// The address as people expect to read it: an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, what
/// a dual-stack socket reports for IPv4 peers) becomes plain IPv4; anything else is unchanged.
pub fn unmap(addr: SocketAddr) -> SocketAddr {
    match addr {
        SocketAddr::V6(v6) => match v6.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::new(IpAddr::V4(v4), v6.port()),
            None => addr,
        },
        SocketAddr::V4(_) => addr,
    }
}

/// Python's `repr` of a socket address, as the lab server's `f"{addr}"` printed it:
/// `('172.19.0.3', 57314)` for IPv4, `('::1', 57314, 0, 0)` (host, port, flowinfo, scope id) for
/// IPv6.
///
/// Python writes a link-local address with a scope as `fe80::1%eth0`; the interface name is not
/// known here, so the address is written without the `%` suffix (the scope id still appears as
/// the fourth element).
pub fn python_repr(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(v4) => format!("('{}', {})", v4.ip(), v4.port()),
        SocketAddr::V6(v6) => format!(
            "('{}', {}, {}, {})",
            v6.ip(),
            v6.port(),
            v6.flowinfo(),
            v6.scope_id()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV6};

    fn ip(s: &str) -> Host {
        Host::Ip(s.parse().unwrap())
    }

    #[test]
    fn targets() {
        let cases: &[(&str, Host, u16)] = &[
            ("127.0.0.1", ip("127.0.0.1"), 12345),
            ("127.0.0.1:9", ip("127.0.0.1"), 9),
            ("localhost", Host::Name("localhost".into()), 12345),
            ("localhost:0", Host::Name("localhost".into()), 0),
            ("server2.lab:65535", Host::Name("server2.lab".into()), 65535),
            ("::1", ip("::1"), 12345),
            ("::", ip("::"), 12345),
            ("[::1]", ip("::1"), 12345),
            ("[::1]:57314", ip("::1"), 57314),
            ("[fe80::1:2]:1", ip("fe80::1:2"), 1),
            ("::ffff:127.0.0.1", ip("::ffff:127.0.0.1"), 12345),
            (
                "[fe80::1%lo]:9",
                Host::Scoped("fe80::1".parse().unwrap(), "lo".into()),
                9,
            ),
            (
                "fe80::1%2",
                Host::Scoped("fe80::1".parse().unwrap(), "2".into()),
                12345,
            ),
        ];
        for (text, host, port) in cases {
            let t = parse_target(text, 12345).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((&t.host, t.port), (host, *port), "{text}");
        }
    }

    #[test]
    fn bad_targets() {
        for text in [
            "",
            ":80",
            "host:",
            "host:x",
            "host:65536",
            "[::1",
            "[::1]80",
            "[::1]:",
            "[1.2.3.4]:80",
            "[::1]:-1",
            "a:b:c",
            "1.2.3.4:5:6",
            "[fe80::1%]:1",
            "1.2.3.4%lo",
            "host%lo:5",
        ] {
            assert!(parse_target(text, 1).is_err(), "{text:?} parsed");
        }
        assert_eq!(
            parse_target("host:99999", 1).unwrap_err().to_string(),
            "target \"host:99999\": port \"99999\" is not a number from 0 to 65535"
        );
    }

    #[test]
    fn errors_and_names_are_escaped() {
        let e = parse_target("\u{1b}[2J\u{202e}:x", 1)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "target \"\\x1b[2J\\u{202e}:x\": port \"x\" is not a number from 0 to 65535"
        );
        let t = parse_target("evil\u{1b}]0;x\u{7}name:5", 1).unwrap();
        assert_eq!(t.to_string(), "evil\\x1b]0;x\\x07name:5");
    }

    #[test]
    fn targets_display() {
        assert_eq!(parse_target("::1", 7).unwrap().to_string(), "[::1]:7");
        assert_eq!(
            parse_target("localhost", 7).unwrap().to_string(),
            "localhost:7"
        );
        assert_eq!(
            parse_target("10.0.0.1:8", 7).unwrap().to_string(),
            "10.0.0.1:8"
        );
    }

    #[test]
    fn python_tuples() {
        let v4 = SocketAddr::new(Ipv4Addr::new(172, 19, 0, 3).into(), 57314);
        assert_eq!(python_repr(v4), "('172.19.0.3', 57314)");
        let v6 = SocketAddr::new(Ipv6Addr::LOCALHOST.into(), 57314);
        assert_eq!(python_repr(v6), "('::1', 57314, 0, 0)");
        let scoped = SocketAddr::V6(SocketAddrV6::new("fe80::1".parse().unwrap(), 5, 7, 2));
        assert_eq!(python_repr(scoped), "('fe80::1', 5, 7, 2)");
    }

    #[test]
    fn mapped_peers_become_ipv4() {
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:57314".parse().unwrap();
        assert_eq!(unmap(mapped).to_string(), "127.0.0.1:57314");
        let v6: SocketAddr = "[::1]:5".parse().unwrap();
        assert_eq!(unmap(v6), v6);
        let v4: SocketAddr = "10.0.0.1:5".parse().unwrap();
        assert_eq!(unmap(v4), v4);
    }
}
