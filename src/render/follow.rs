//! Following one conversation: every payload in order, both directions marked, like Wireshark's
//! Follow UDP Stream. Payloads are shown whole, escaped.

use std::io::{self, Write};

use crate::analyze::{Conversation, FrameNo, Role, Seen};
use crate::dissect::Udp;
use crate::dissect::contrast::IcmpError;
use crate::escape::escape;
use crate::i18n::tr;
use crate::render::Paint;
use crate::render::summary::{self, human};

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
            let title = tr!(
                "follow-title",
                id = conv.id,
                a = conv.a.to_string(),
                b = conv.b.to_string()
            );
            writeln!(out, "{title}")?;
        }
        let d = usize::from(udp.src != conv.a.addr || udp.sport != conv.a.port);
        self.packets[d] += 1;
        self.bytes[d] += u64::from(udp.length());
        let arrow = if d == 0 {
            self.paint.blue("A->B")
        } else {
            self.paint.green("B->A")
        };
        let mut head = tr!(
            "follow-datagram",
            arrow = arrow,
            frame = FrameNo(frame).to_string(),
            time = time,
            bytes = udp.length()
        );
        // What is known of the datagram, each a phrase of its own after two spaces.
        if let Role::Reply {
            to,
            after,
            retries,
            first_try,
        } = seen.role
        {
            head += "  ";
            head += &match after {
                Some(after) => tr!(
                    "follow-reply-after",
                    frame = FrameNo(to).to_string(),
                    after = human(after)
                ),
                None => tr!("follow-reply", frame = FrameNo(to).to_string()),
            };
            head += &summary::retries(retries, first_try);
        }
        if let Some(first) = seen.repeat_of {
            head += "  ";
            head += &tr!("follow-same-as", frame = FrameNo(first).to_string());
        }
        if udp.cut {
            head += "  ";
            head += &tr!("follow-cut", n = udp.payload.len());
        }
        writeln!(out, "\n{head}")?;
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
        let head = tr!(
            "follow-icmp",
            frame = FrameNo(frame).to_string(),
            time = time,
            from = e.from.to_string()
        );
        writeln!(out, "\n{}", self.paint.red(&head))?;
        let what = tr!(
            "follow-icmp-what",
            what = summary::icmp_name(e.what),
            target = e.udp_dst.to_string()
        );
        writeln!(out, "{what}")
    }

    /// Writes the closing count; `false` when the conversation never appeared.
    pub fn finish(&self, out: &mut dyn Write) -> io::Result<bool> {
        if !self.started {
            return Ok(false);
        }
        let total = tr!(
            "follow-total",
            ab = self.packets[0],
            abbytes = self.bytes[0],
            ba = self.packets[1],
            babytes = self.bytes[1]
        );
        writeln!(out, "\n{total}")?;
        Ok(true)
    }
}
