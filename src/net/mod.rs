//! The live half of the lab: a UDP server and a UDP client over `std::net::UdpSocket`.

pub mod addr;
pub mod send;
pub mod serve;
