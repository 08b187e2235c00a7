//! The `yuqing` binary: everything lives in the library; this only hands over.

fn main() -> std::process::ExitCode {
    yuqing::cli::main()
}
