//! `ges-backups manpage` (hidden): the manual page ges-backups.1 that `make
//! install` installs, rendered by clap_mangen from the definitions `--help`
//! prints. One page for the whole tool, as the subcommands are few: the tool's
//! own sections, then a section per subcommand (its synopsis, description and
//! options as subsections), then the exit statuses.

use crate::args::Cli;
use crate::exit;
use clap::CommandFactory;
use clap_mangen::Man;
use roff::{bold, roman, Roff};
use std::io;

type Section = fn(&Man, &mut dyn io::Write) -> io::Result<()>;

pub fn render() -> io::Result<Vec<u8>> {
    let mut cli = Cli::command();
    // Built, the subcommands know their full name ("ges-backups list").
    cli.build();
    let tool = Man::new(cli.clone());
    let mut page = Vec::new();
    let sections: [Section; 5] = [
        Man::render_title,
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
    ];
    for section in sections {
        section(&tool, &mut page)?;
    }
    for sub in cli
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
    {
        subcommand(sub, &mut page)?;
    }
    exit_statuses().to_writer(&mut page)?;
    tool.render_version_section(&mut page)?;
    Ok(page)
}

/// `.SH ges-backups NAME`, then clap_mangen's sections of the subcommand
/// demoted to subsections, and its text after the options kept as written.
fn subcommand(sub: &clap::Command, page: &mut Vec<u8>) -> io::Result<()> {
    let name = sub.get_bin_name().unwrap_or(sub.get_name());
    Roff::new()
        .control("SH", [name.to_uppercase().as_str()])
        .to_writer(page)?;
    let man = Man::new(sub.clone());
    let sections: [Section; 3] = [
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
    ];
    for section in sections {
        let mut part = Vec::new();
        section(&man, &mut part)?;
        let part = String::from_utf8(part).expect("roff of UTF-8 text is UTF-8");
        for line in part.lines() {
            let line = line
                .strip_prefix(".SH ")
                .map_or(line.to_string(), |heading| format!(".SS {heading}"));
            page.extend_from_slice(line.as_bytes());
            page.push(b'\n');
        }
    }
    // The exit statuses come once, at the end of the page.
    let after = sub.get_after_help().map(ToString::to_string);
    if let Some(after) = after.filter(|text| *text != exit::help()) {
        let mut roff = Roff::new();
        roff.control("PP", []).control("nf", []);
        for line in after.lines() {
            roff.text([roman(line)]);
        }
        roff.control("fi", []).to_writer(page)?;
    }
    Ok(())
}

fn exit_statuses() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (status, meaning) in exit::STATUSES {
        roff.control("TP", [])
            .text([bold(status.to_string())])
            .text([roman(meaning)]);
    }
    roff
}
