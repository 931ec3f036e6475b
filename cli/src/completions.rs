//! `ges-backups completions SHELL`: clap_complete's script for the shell,
//! from the definitions `--help` prints.

use crate::args::Cli;
use clap::CommandFactory;
use clap_complete::Shell;

const NAME: &str = "ges-backups";

pub fn script(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), NAME, &mut script);
    if shell != Shell::Bash {
        return script;
    }
    // clap_complete 4.6 spells a hyphenated program's subcommand states two
    // ways in bash: it sets `ges__backups__subcmd__list` but matches
    // `ges__subcmd__backups__subcmd__list`, so nothing completes after a
    // subcommand (clap-rs/clap#6421). The matched spelling is made the set one;
    // once clap_complete is fixed this replaces nothing.
    let script = String::from_utf8(script).expect("a script of UTF-8 names");
    let (set, matched) = (NAME.replace('-', "__"), NAME.replace('-', "__subcmd__"));
    script.replace(&matched, &set).into_bytes()
}
