//! How much inventory one run may load: a budget on the inventory files
//! together, and the process's address-space limit, both checked before a
//! file is read, so that a run that cannot fit stops with exit 2 naming the
//! limit instead of failing an allocation part-way.

/// The default of `[limits] inventory_mb`: the inventory files together.
/// The benchmark inventory takes about 17 MB per 10,000 systems, so this
/// is about 150,000 systems.
pub const DEFAULT_INVENTORY_MB: u64 = 256;

/// Peak memory per byte of inventory while it is loaded and judged:
/// measured at about 16 (BENCHMARKS.md), counted with room to spare.
pub const MEMORY_PER_INVENTORY_BYTE: u64 = 24;

/// Bytes of address space this process may still take under its
/// `RLIMIT_AS` (`ulimit -v`); `None` when unlimited or unknown.
#[cfg(target_os = "linux")]
pub fn address_space_left() -> Option<u64> {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut r) } != 0 || r.rlim_cur == libc::RLIM_INFINITY
    {
        return None;
    }
    // The size of the address space now, in pages: the first field.
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().next()?.parse().ok()?;
    let page = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
    // `rlim_t` is 32 bits on some 32-bit targets.
    #[allow(clippy::useless_conversion)]
    let cur = u64::from(r.rlim_cur);
    Some(cur.saturating_sub(pages.saturating_mul(page)))
}

#[cfg(not(target_os = "linux"))]
pub fn address_space_left() -> Option<u64> {
    None
}
