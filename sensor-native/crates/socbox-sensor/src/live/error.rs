use std::fmt;

/// Why live capture cannot start.
#[derive(Debug)]
pub enum LiveError {
    /// The process may not open packet sockets.
    Permission {
        interface: String,
        detail: String,
    },
    NoInterface(String),
    /// The BPF filter does not compile, or libpcap is not there to compile it.
    Filter(String),
    /// Home nets or the match plan.
    Options(String),
    /// Another system call failed.
    Os {
        what: &'static str,
        interface: String,
        err: std::io::Error,
    },
}

impl fmt::Display for LiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Permission { interface, detail } => write!(
                f,
                "live capture on {interface} needs root or the CAP_NET_RAW capability ({detail}); run as root, or grant it once with `sudo setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which node))`"
            ),
            Self::NoInterface(name) => write!(
                f,
                "there is no network interface named {name:?}; `ip link` lists the interfaces"
            ),
            Self::Filter(why) => write!(f, "filter: {why}"),
            Self::Options(why) => f.write_str(why),
            Self::Os { what, interface, err } => {
                write!(f, "live capture on {interface}: {what} failed: {err}")
            }
        }
    }
}

impl std::error::Error for LiveError {}
