//! oneway: the UDP lab in one binary.
//!
//! The layers, from bytes to what a person reads:
//!
//! - [`capture`] reads pcap and pcapng (detected by magic number) into [`capture::Frame`]s, one at
//!   a time: memory does not grow with the capture.
//! - [`dissect`] turns a frame's bytes into a UDP datagram, a skipped frame (ARP, TCP, …) or a
//!   malformed one, for every link type we know.
//! - [`analyze`] groups datagrams into conversations and pairs requests with replies.
//! - [`render`] writes the table, jsonl and csv, and escapes every untrusted byte.
//! - [`net`] is the live half of the lab: `serve` and `send` over `std::net::UdpSocket`.
//!
//! [`run`] takes the parsed command line and the writers to use; nothing here prints on its own.

pub mod analyze;
pub mod capture;
pub mod cli;
pub mod contrast;
pub mod dissect;
pub mod inspect;
pub mod net;
pub mod render;
#[cfg(test)]
mod testing;

use std::io::{self, Write};

use cli::{Cli, Command};

/// The process exit codes, as documented in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Done (a capture without UDP and a closed stdout pipe included).
    Success = 0,
    /// Could not finish: damaged capture, socket error, no reply in time.
    Failure = 1,
    /// The command line was wrong.
    Usage = 2,
}

/// An error in what the user asked for, found after clap's parsing (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Maps the outcome of [`run`] to an exit code: a closed stdout pipe anywhere in the error chain
/// is success (like `head` closing its input), a [`UsageError`] is 2, anything else 1.
pub fn exit_code(result: &anyhow::Result<()>) -> Exit {
    let Err(e) = result else { return Exit::Success };
    for cause in e.chain() {
        if let Some(io) = cause.downcast_ref::<io::Error>()
            && io.kind() == io::ErrorKind::BrokenPipe
        {
            return Exit::Success;
        }
        if cause.downcast_ref::<UsageError>().is_some() {
            return Exit::Usage;
        }
    }
    Exit::Failure
}

/// Runs one command, writing data to `out` and diagnostics to `err`.
///
/// Errors are returned, not printed: the caller prints them as `oneway: {:#}`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let paint = render::Paint {
        on: cli.color.resolve(io::stdout().is_terminal()),
    };
    match cli.command {
        Command::Serve(args) => net::serve::run(&net::serve::Options::from(args), out, err),
        Command::Send(args) => net::send::run(&net::send::Options::from(args), out, err),
        Command::Inspect(args) => {
            let opts = inspect::Options {
                paint,
                ..inspect::Options::from(args)
            };
            inspect::run(&opts, out, err)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "oneway", out);
            Ok(())
        }
        Command::Manpage => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(out)?;
            Ok(())
        }
    }
}
