//! The command line of `socbox events`: what it asks for, or why it cannot
//! be read (a usage error, answered with the help and exit status 2).

use std::path::PathBuf;

pub const HELP: &str =
    "usage: socbox events FILE [--home-net CIDR,...] [--plan PACK_OR_PLAN.json|none] [--threads N]

Prints every event of a pcap/pcapng capture as one JSON object per line.
  --home-net   networks counted as internal (default: RFC 1918, 100.64/10, fc00::/7, link-local)
  --plan       match plan for intel hits (default: the built default rule pack; 'none' to skip)
  --threads    pipelines decoding at once, packets shared out by address pair (default: the
               number of cores). The lines come in an order fixed by the file and N; with 1,
               in the order of the capture.
Exit status: 0 when the file was readable (malformed packets are counted on stderr), 2 otherwise.
";

const MAX_THREADS: usize = 256;

/// What a run is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    pub file: PathBuf,
    pub home_nets: Option<Vec<String>>,
    /// The plan file to load; None for no plan.
    pub plan: Option<PathBuf>,
    pub threads: usize,
}

/// Why the command line cannot be run, said to the user before the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

/// `None` when the help was asked for. `default_plan` is the built default
/// rule pack, which the launcher (`bin/socbox`) names with `--default-plan`;
/// `cores` the default of `--threads`.
pub fn parse(argv: &[String], cores: usize) -> Result<Option<Args>, UsageError> {
    let mut files = Vec::new();
    let (mut home_net, mut plan, mut threads, mut default_plan) = (None, None, None, None);
    let mut rest = argv.iter();
    while let Some(arg) = rest.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let slot = match name {
            "-h" | "--help" => return Ok(None),
            "--home-net" => &mut home_net,
            "--plan" => &mut plan,
            "--threads" => &mut threads,
            "--default-plan" => &mut default_plan,
            _ if name.starts_with('-') && name.len() > 1 => {
                return Err(UsageError(format!("unknown option {name}")))
            }
            _ => {
                files.push(arg.clone());
                continue;
            }
        };
        let value = match inline {
            Some(v) => v,
            None => rest
                .next()
                .cloned()
                .ok_or_else(|| UsageError(format!("{name} needs a value")))?,
        };
        *slot = Some(value);
    }
    let [file] = <[String; 1]>::try_from(files)
        .map_err(|_| UsageError("give exactly one capture file".into()))?;
    Ok(Some(Args {
        file: file.into(),
        home_nets: home_net.map(|v| home_nets(&v)).transpose()?,
        plan: plan_file(plan, default_plan)?,
        threads: threads.map_or(Ok(cores.max(1)), |v| parse_threads(&v))?,
    }))
}

fn home_nets(value: &str) -> Result<Vec<String>, UsageError> {
    let nets: Vec<String> = value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if nets.is_empty() {
        return Err(UsageError(
            "--home-net needs at least one CIDR, e.g. 10.0.0.0/8".into(),
        ));
    }
    Ok(nets)
}

fn parse_threads(value: &str) -> Result<usize, UsageError> {
    let v = value.trim();
    match v.parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) && v.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(UsageError(format!(
            "--threads {value}: give a whole number from 1 to {MAX_THREADS}"
        ))),
    }
}

/// `--plan FILE`, else the default pack when it is built; `none` for none.
/// The file is only checked for being readable here: what it holds is
/// checked when the plan loads.
fn plan_file(
    plan: Option<String>,
    default_plan: Option<String>,
) -> Result<Option<PathBuf>, UsageError> {
    match plan {
        Some(p) if p == "none" => Ok(None),
        Some(p) => match std::fs::File::open(&p) {
            Ok(_) => Ok(Some(p.into())),
            Err(e) => Err(UsageError(format!("cannot read the match plan {p}: {e}"))),
        },
        // Not built (npm run build -w @socbox/rules): no plan, as before.
        None => Ok(default_plan
            .map(PathBuf::from)
            .filter(|p| std::fs::File::open(p).is_ok())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Result<Option<Args>, UsageError> {
        let argv: Vec<String> = line.split_whitespace().map(String::from).collect();
        parse(&argv, 2)
    }

    #[test]
    fn a_file_with_defaults() {
        let a = args("x.pcap").unwrap().unwrap();
        assert_eq!(a.file, PathBuf::from("x.pcap"));
        assert_eq!((a.home_nets, a.plan, a.threads), (None, None, 2));
    }

    #[test]
    fn options_take_their_value_after_a_space_or_an_equals_sign() {
        let a = args("--threads 3 x.pcap --home-net=10.0.0.0/8,,192.168.0.0/16 --plan none")
            .unwrap()
            .unwrap();
        assert_eq!(a.threads, 3);
        assert_eq!(
            a.home_nets,
            Some(vec!["10.0.0.0/8".into(), "192.168.0.0/16".into()])
        );
        assert_eq!(a.plan, None);
    }

    #[test]
    fn the_default_plan_is_used_when_it_exists_and_no_plan_is_given() {
        let here = env!("CARGO_MANIFEST_PATH");
        let a = args(&format!("x.pcap --default-plan {here}"))
            .unwrap()
            .unwrap();
        assert_eq!(a.plan, Some(PathBuf::from(here)));
        let a = args("x.pcap --default-plan /nonexistent/pack.json")
            .unwrap()
            .unwrap();
        assert_eq!(a.plan, None);
        let a = args(&format!("x.pcap --default-plan {here} --plan none"))
            .unwrap()
            .unwrap();
        assert_eq!(a.plan, None);
    }

    #[test]
    fn help_is_asked_for_anywhere_on_the_line() {
        assert_eq!(args("x.pcap -h"), Ok(None));
        assert_eq!(args("--help"), Ok(None));
    }

    #[test]
    fn usage_errors_say_what_is_wrong() {
        for (line, expect) in [
            ("", "give exactly one capture file"),
            ("a.pcap b.pcap", "give exactly one capture file"),
            (
                "x.pcap --threads 0",
                "--threads 0: give a whole number from 1 to 256",
            ),
            ("x.pcap --threads 257", "from 1 to 256"),
            ("x.pcap --threads 2.5", "from 1 to 256"),
            ("x.pcap --threads +2", "from 1 to 256"),
            ("x.pcap --threads", "--threads needs a value"),
            ("x.pcap --home-net ,", "--home-net needs at least one CIDR"),
            (
                "x.pcap --plan /nonexistent/plan.json",
                "cannot read the match plan /nonexistent/plan.json",
            ),
            ("x.pcap --frobnicate 1", "unknown option --frobnicate"),
        ] {
            let err = args(line).unwrap_err().0;
            assert!(err.contains(expect), "{line:?}: {err}");
        }
    }
}
