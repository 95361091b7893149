use std::process::ExitCode;

use clap::Parser;

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
