//! `ges-backups completions SHELL` and `ges-backups --version`.

use crate::common::{isolated, run, TempFile};
use crate::help::LIST_FLAGS;
use std::ffi::CStr;
use std::process::Command;

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "powershell", "elvish"];

#[test]
fn every_shell_gets_a_script_naming_list_and_its_flags() {
    for shell in SHELLS {
        let got = run(&["completions", shell]);
        got.expect_code(0, shell);
        let script = got.stdout_text();
        assert!(script.len() > 500, "{shell}: {script}");
        assert!(script.contains("list"), "{shell}: no `list` in\n{script}");
        for flag in ["--deadline-ms", "--region", "--profile"] {
            let name = flag.trim_start_matches('-');
            assert!(script.contains(name), "{shell}: no {flag} in\n{script}");
        }
        assert!(script.contains("ndjson"), "{shell}: no ndjson in\n{script}");
        // The hidden subcommand that prints the manual page is not offered.
        assert!(!script.contains("manpage"), "{shell}: {script}");
        assert_eq!(got.stderr, "", "{shell}");
    }
    run(&["completions", "tcsh"]).expect_code(2, "an unknown shell");
    run(&["completions"]).expect_code(2, "no shell");
}

#[test]
fn the_bash_script_parses_and_completes_list_flags() {
    let got = run(&["completions", "bash"]);
    got.expect_code(0, "completions bash");
    let script = TempFile::new("completion.bash", &got.stdout);
    let syntax = Command::new("bash")
        .args(["-n", script.arg()])
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    // Sourced, it completes the flags of `list`, and the values of --output.
    let offered = bash_complete(&script, &["list", "--"]);
    for flag in LIST_FLAGS {
        assert!(offered.contains(&flag.to_string()), "{flag}: {offered:?}");
    }
    let offered = bash_complete(&script, &["list", "--output", ""]);
    assert_eq!(offered, ["table", "json", "ndjson", "csv"]);
}

/// What the sourced script offers for the last of `words` after
/// `ges-backups`: bash calls the function that `complete -p` names with the
/// command, the word and the previous word.
fn bash_complete(script: &TempFile, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let line = format!("ges-backups {}", words.join(" "));
    let complete = format!(
        "source '{}'\n\
         function=$(complete -p ges-backups | sed -n 's/.* -F \\([^ ]*\\).*/\\1/p')\n\
         COMP_WORDS=(ges-backups {}); COMP_CWORD={}\n\
         COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n\
         \"$function\" ges-backups '{}' '{}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.arg(),
        quoted.join(" "),
        words.len(),
        words[words.len() - 1],
        words
            .get(words.len().wrapping_sub(2))
            .unwrap_or(&"ges-backups"),
    );
    let out = isolated(Command::new("bash"))
        .args(["-c", &complete])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn version_is_the_workspace_version_and_the_library_s() {
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml")).unwrap();
    let workspace = manifest
        .split("[workspace.package]")
        .nth(1)
        .and_then(|rest| rest.lines().find(|l| l.starts_with("version")))
        .and_then(|line| line.split('"').nth(1))
        .expect("[workspace.package] version");
    // SAFETY: a static NUL-terminated string, never NULL (ges_backups.h).
    let library = unsafe { CStr::from_ptr(ges_backups::ffi::ges_version()) };
    assert_eq!(library.to_str().unwrap(), workspace);
    for flag in ["--version", "-V"] {
        let got = run(&[flag]);
        got.expect_code(0, flag);
        assert_eq!(got.stdout_text(), format!("ges-backups {workspace}\n"));
    }
}
