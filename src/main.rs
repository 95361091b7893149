use std::process::ExitCode;

use clap::Parser;

/// mimalloc: allocation is a tenth of the instructions of loading a large
/// inventory (a node per YAML value), and mimalloc's fast path is shorter.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match aims::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Bad arguments are exit 2, as in the contract; help and version are 0.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(aims::cli::run(cli))
}
