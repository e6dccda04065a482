/**
 * What the agent costs its host between two samples: CPU as a percent of one core (user and
 * system time from `process.cpuUsage`, over the wall time between samples) and resident memory.
 */
export type Usage = { cpu: number; rssBytes: number }

export class UsageMeter {
  private lastCpu = process.cpuUsage()
  private lastAt = performance.now()

  sample(): Usage {
    const cpu = process.cpuUsage(this.lastCpu)
    const now = performance.now()
    const wallUs = (now - this.lastAt) * 1000
    this.lastCpu = process.cpuUsage()
    this.lastAt = now
    const percent = wallUs > 0 ? ((cpu.user + cpu.system) / wallUs) * 100 : 0
    return { cpu: Math.round(percent * 10) / 10, rssBytes: process.memoryUsage.rss() }
  }
}
