//! napi binding of live capture: [`LiveSource`] over
//! `socbox_sensor::live::LiveSource`, every call under `Guarded`.

use napi::bindgen_prelude::Buffer;
use napi::Result;
use napi_derive::napi;
use socbox_sensor::boundary::Guarded;
use socbox_sensor::live;

use crate::js_error;

/// Options of a live source.
#[napi(object)]
pub struct LiveOptions {
    /// CIDR blocks of the home networks (default RFC 1918 and friends).
    pub home_nets: Option<Vec<String>>,
    /// Match plan v1 as JSON text.
    pub plan: Option<String>,
    /// BPF filter expression (tcpdump syntax); needs libpcap at run time.
    pub filter: Option<String>,
    /// Ring size in MiB (default 64).
    pub ring_mib: Option<u32>,
}

/// Counters of a live source.
#[napi(object)]
pub struct LiveStats {
    pub packets: f64,
    pub bytes: f64,
    pub malformed: f64,
    pub events: f64,
    /// Packets the kernel passed the filter.
    pub kernel_packets: f64,
    /// Packets the kernel dropped because the ring was full.
    pub kernel_drops: f64,
    pub linktype: String,
    /// Application state not kept because a per-connection cap was reached
    /// (SMB requests, trees, opens and files hashed at once; Kerberos
    /// requests waiting): what was seen of that connection is partial.
    pub app_dropped: f64,
    /// SMB3 encrypted or compressed messages, skipped unread.
    pub encrypted: f64,
}

/// Events of a network interface (AF_PACKET, TPACKET_V3 ring). Needs root or
/// CAP_NET_RAW. Reading never blocks.
#[napi]
pub struct LiveSource {
    inner: Guarded<live::LiveSource>,
}

#[napi]
impl LiveSource {
    /// Opens `interface`. Throws naming the interface and the fix when it
    /// does not exist, the process lacks the privilege, or the filter is bad.
    #[napi(constructor)]
    pub fn new(interface: String, options: Option<LiveOptions>) -> Result<Self> {
        crate::allocator::keep_freed_pages();
        let options = options.map_or_else(live::LiveOptions::default, |o| live::LiveOptions {
            home_nets: o.home_nets,
            plan: o.plan,
            filter: o.filter,
            ring_mib: o.ring_mib,
        });
        let inner =
            Guarded::new(|| live::LiveSource::open(&interface, options)).map_err(js_error)?;
        Ok(Self { inner })
    }

    /// A wire batch v2 of up to `maxEvents` events that have arrived
    /// (`"n":0` when none); `null` once closed and drained.
    #[napi]
    pub fn next_batch(&mut self, max_events: u32) -> Result<Option<Buffer>> {
        self.inner
            .with(|s| {
                Ok::<_, String>(if s.is_drained() {
                    None
                } else {
                    Some(Buffer::from(s.next_batch(max_events as usize)))
                })
            })
            .map_err(js_error)
    }

    /// Blocks up to `timeoutMs` until packets are ready; true when they are.
    #[napi]
    pub fn wait(&mut self, timeout_ms: u32) -> Result<bool> {
        self.inner
            .with(|s| Ok::<_, String>(s.wait(timeout_ms.min(60_000) as i32)))
            .map_err(js_error)
    }

    /// Stops reading: open flows end and their events come in the next
    /// batches, then `nextBatch` returns null.
    #[napi]
    pub fn close(&mut self) -> Result<()> {
        self.inner
            .with(|s| {
                s.close();
                Ok::<_, String>(())
            })
            .map_err(js_error)
    }

    /// Swaps the match plan between batches; a bad plan throws and the old
    /// one stays.
    #[napi]
    pub fn set_plan(&mut self, plan_json: String) -> Result<()> {
        self.inner
            .with(|s| s.set_plan(&plan_json).map_err(|e| e.to_string()))
            .map_err(js_error)
    }

    #[napi]
    pub fn stats(&mut self) -> Result<LiveStats> {
        self.inner
            .with(|s| {
                let st = s.stats();
                Ok::<_, String>(LiveStats {
                    packets: st.packets as f64,
                    bytes: st.bytes as f64,
                    malformed: st.malformed as f64,
                    events: st.events as f64,
                    kernel_packets: st.kernel.packets as f64,
                    kernel_drops: st.kernel.drops as f64,
                    linktype: "live".into(),
                    app_dropped: st.app_dropped as f64,
                    encrypted: st.encrypted as f64,
                })
            })
            .map_err(js_error)
    }
}
