//! The live half of the lab: a UDP server and a UDP client over `std::net::UdpSocket`.
//!
//! - [`serve`]: answers every peer (never `connect`s), logs one line per datagram, stops on
//!   `--count`, Ctrl-C or SIGTERM with a summary.
//! - [`send`]: a connected client that never hangs: timeout, ICMP port unreachable, size limits.
//! - [`addr`]: pure helpers both share: target parsing, IPv4-mapped peers, Python's address repr.
//!
//! Capture files are not read here (see `inspect`).

pub mod addr;
pub mod send;
pub mod serve;
mod stop;
