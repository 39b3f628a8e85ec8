//! `oneway`: parse the command line, run it, map the outcome to an exit code. Nothing else.

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    oneway::i18n::set(oneway::cli::lang_of_args(std::env::args_os()));
    let cli = oneway::cli::parse();
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut err = io::stderr().lock();
    let result = oneway::run(cli, &mut out, &mut err);
    // Data first, then the diagnostic that explains where it stopped.
    let result = result.and_then(|()| Ok(out.flush()?)).inspect_err(|_| {
        let _ = out.flush();
    });
    let code = oneway::exit_code(&result);
    if let Err(e) = &result
        && code != oneway::Exit::Success
    {
        let _ = writeln!(
            err,
            "oneway: {}",
            oneway::escape::message(&format!("{e:#}"))
        );
    }
    ExitCode::from(code as u8)
}
