//! `ges-bench`: the Rust half of the performance harness (bench/README.md).
//! `bench/run.py` drives it; each subcommand prints one JSON object.
//!
//! ```text
//! ges-bench raw-fetch  --url URL --total N [--page-size 100] [--concurrency 4] [--repeat 1]
//! ges-bench fetch-body --url URL --limit N --out FILE
//! ges-bench decode     --file ANSWER [--rounds 5] [--budget-ms 300]
//! ges-bench decode-repeat --file ANSWER --contender ours|serde_owned --iterations N
//! ```
//! Every command takes `--project`, `--ak`, `--sk` (defaults: the harness's emulator).

mod cpu;
mod decode;
mod fetch;
mod raw_http;

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Duration;

struct Args(HashMap<String, String>);

impl Args {
    fn parse(raw: &[String]) -> Result<Args, String> {
        let mut map = HashMap::new();
        let mut it = raw.iter();
        while let Some(flag) = it.next() {
            let name = flag
                .strip_prefix("--")
                .ok_or_else(|| format!("expected a --flag, got {flag:?}"))?;
            let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            map.insert(name.to_string(), value.clone());
        }
        Ok(Args(map))
    }

    fn str(&self, name: &str, default: Option<&str>) -> Result<String, String> {
        self.0
            .get(name)
            .map(String::as_str)
            .or(default)
            .map(str::to_string)
            .ok_or_else(|| format!("--{name} is required"))
    }

    fn num<T: std::str::FromStr>(&self, name: &str, default: Option<T>) -> Result<T, String> {
        match self.0.get(name) {
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v}")),
            None => default.ok_or_else(|| format!("--{name} is required")),
        }
    }

    fn target(&self) -> Result<raw_http::Target, String> {
        Ok(raw_http::Target::from_url(
            &self.str("url", None)?,
            &self.str("project", Some("demo-project"))?,
            &self.str("ak", Some("AKBENCH"))?,
            &self.str("sk", Some("SKbench-secret"))?,
        ))
    }
}

fn json(value: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string(value).expect("reports serialize")
    );
}

fn run(command: &str, args: &Args) -> Result<(), String> {
    match command {
        "raw-fetch" => {
            let plan = fetch::Plan {
                total: args.num("total", None)?,
                page_size: args.num("page-size", Some(100))?,
                concurrency: args.num("concurrency", Some(4))?,
                repeat: args.num("repeat", Some(1))?,
            };
            json(&fetch::run(&args.target()?, &plan).map_err(|e| format!("raw-fetch: {e}"))?);
        }
        "fetch-body" => {
            let target = args.target()?;
            let mut conn =
                raw_http::Connection::open(&target).map_err(|e| format!("connect: {e}"))?;
            let body = conn
                .page(&target, 0, args.num("limit", None)?)
                .map_err(|e| format!("fetch: {e}"))?;
            std::fs::write(args.str("out", None)?, body).map_err(|e| format!("write: {e}"))?;
        }
        "decode" => {
            let body = std::fs::read(args.str("file", None)?).map_err(|e| e.to_string())?;
            let budget = Duration::from_millis(args.num("budget-ms", Some(300))?);
            json(&decode::run(&body, args.num("rounds", Some(5))?, budget));
        }
        "decode-repeat" => {
            let body = std::fs::read(args.str("file", None)?).map_err(|e| e.to_string())?;
            let backups = decode::repeat(
                &body,
                &args.str("contender", None)?,
                args.num("iterations", None)?,
            );
            json(&serde_json::json!({ "backups": backups }));
        }
        other => return Err(format!("unknown command {other:?}; see bench/README.md")),
    }
    Ok(())
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = raw.split_first() else {
        eprintln!("usage: ges-bench raw-fetch|fetch-body|decode|decode-repeat --flag value ...");
        return ExitCode::from(2);
    };
    match Args::parse(rest).and_then(|args| run(command, &args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ges-bench: {message}");
            ExitCode::from(2)
        }
    }
}
