//! Following one conversation: every payload in order, both directions marked, like Wireshark's
//! Follow UDP Stream. Payloads are shown whole, escaped.

use std::io::{self, Write};

use crate::analyze::{Conversation, FrameNo, Role, Seen};
use crate::dissect::Udp;
use crate::dissect::contrast::IcmpError;
use crate::escape::escape;
use crate::render::Paint;
use crate::render::summary::{self, human, plural};

/// Writes the datagrams of one conversation as they come.
#[derive(Debug, Default)]
pub struct Follow {
    paint: Paint,
    started: bool,
    packets: [u64; 2],
    bytes: [u64; 2],
}

impl Follow {
    /// A follower that has written nothing yet.
    pub fn new(paint: Paint) -> Self {
        Follow {
            paint,
            ..Self::default()
        }
    }

    /// Writes one datagram of the followed conversation; `time` is already formatted.
    pub fn datagram(
        &mut self,
        out: &mut dyn Write,
        conv: &Conversation,
        frame: u64,
        time: &str,
        udp: &Udp<'_>,
        seen: Seen,
    ) -> io::Result<()> {
        if !self.started {
            self.started = true;
            writeln!(
                out,
                "Conversation {}: A = {}, B = {}",
                conv.id, conv.a, conv.b
            )?;
        }
        let d = usize::from(udp.src != conv.a.addr || udp.sport != conv.a.port);
        self.packets[d] += 1;
        self.bytes[d] += u64::from(udp.length());
        let arrow = if d == 0 {
            self.paint.blue("A->B")
        } else {
            self.paint.green("B->A")
        };
        let frame = FrameNo(frame);
        let mut head = format!("\n{arrow}  frame {frame}  {time}  {} bytes", udp.length());
        if let Role::Reply {
            to,
            after,
            retries,
            first_try,
        } = seen.role
        {
            head += &format!("  reply to frame {}", FrameNo(to));
            if let Some(after) = after {
                head += &format!(" after {}", human(after));
            }
            head += &summary::retries(retries, first_try);
        }
        if let Some(first) = seen.repeat_of {
            head += &format!("  same as frame {}", FrameNo(first));
        }
        if udp.cut {
            head += &format!("  (only {} captured)", udp.payload.len());
        }
        writeln!(out, "{head}")?;
        writeln!(out, "{}", escape(udp.payload))
    }

    /// Writes an ICMP error that answered a datagram of the conversation.
    pub fn icmp(
        &mut self,
        out: &mut dyn Write,
        frame: u64,
        time: &str,
        e: &IcmpError,
    ) -> io::Result<()> {
        let head = format!("ICMP  frame {}  {time}  from {}", FrameNo(frame), e.from);
        writeln!(out, "\n{}", self.paint.red(&head))?;
        writeln!(out, "{}: nothing listened on {}", e.what, e.udp_dst)
    }

    /// Writes the closing count; `false` when the conversation never appeared.
    pub fn finish(&self, out: &mut dyn Write) -> io::Result<bool> {
        if !self.started {
            return Ok(false);
        }
        writeln!(
            out,
            "\nA->B: {}, {}; B->A: {}, {}",
            plural(self.packets[0], "datagram", "datagrams"),
            plural(self.bytes[0], "byte", "bytes"),
            plural(self.packets[1], "datagram", "datagrams"),
            plural(self.bytes[1], "byte", "bytes"),
        )?;
        Ok(true)
    }
}
