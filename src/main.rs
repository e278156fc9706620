//! The `botline` command.

fn main() {}
