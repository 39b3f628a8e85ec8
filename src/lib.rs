//! oneway: the UDP lab in one binary.
//!
//! The layers, from bytes to what a person reads (each imports only those above it in this list;
//! ARCHITECTURE.md is the map, and `tests/architecture.rs` holds the code to it):
//!
//! - [`escape`] makes untrusted bytes safe to show; everything that prints uses it.
//! - [`i18n`] is the language oneway speaks (English or Indonesian) and its message catalogue;
//!   everything that speaks to people uses it.
//! - [`capture`] reads pcap and pcapng (detected by magic number) into [`capture::Frame`]s, one at
//!   a time: memory does not grow with the capture.
//! - [`dissect`] turns a frame's bytes into a UDP datagram, a skipped frame (ARP, TCP, …) or a
//!   malformed one, for every link type we know; and what TCP and ICMP frames tell by contrast.
//! - [`analyze`] groups datagrams into conversations and pairs requests with replies.
//! - [`render`] writes the table, jsonl and csv, the summary, the follow view, the HTML report.
//! - [`inspect`] runs capture → dissect → analyze → render on two threads.
//! - [`net`] is the live half of the lab: `serve` and `send` over `std::net::UdpSocket`.
//! - [`cli`] is clap's, and resolves the command line into each command's plain options.
//!
//! [`run`] takes the parsed command line and the writers to use; nothing here prints on its own.

pub mod analyze;
pub mod capture;
pub mod cli;
pub mod dissect;
pub mod escape;
mod exit;
pub mod i18n;
pub mod inspect;
pub mod net;
pub mod render;

use std::io::{self, Write};

pub use exit::{Exit, UsageError, exit_code};

use cli::{Cli, Command};

/// Runs one command, writing data to `out` and diagnostics to `err`.
///
/// Errors are returned, not printed: the caller prints them as `oneway: {:#}`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if let Some(lang) = cli.lang {
        i18n::set(lang);
    }
    let terminal = io::stdout().is_terminal();
    let paint = render::Paint {
        on: cli.color.resolve(terminal),
    };
    match cli.command {
        Command::Serve(args) => {
            // The log is written by a thread of its own, to stdout through its own descriptor.
            let (log, name) = net::serve::stdout_log()?;
            net::serve::run(&args.into(), log, name, err)
        }
        Command::Send(args) => net::send::run(&args.try_into()?, out, err),
        Command::Inspect(args) => {
            let columns = terminal.then(terminal_columns).flatten();
            inspect::run(&args.resolve(paint, terminal, columns)?, out, err)
        }
        Command::Completions { shell } => {
            cli::completions(shell, out);
            Ok(())
        }
        Command::Manpage { command } => Ok(cli::manpage(command.as_deref(), out)?),
    }
}

/// The terminal's width on stdout, or else `COLUMNS` (as shells export it).
fn terminal_columns() -> Option<usize> {
    terminal_size::terminal_size_of(io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w > 0)
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
        })
        .filter(|&w| w > 0)
}
