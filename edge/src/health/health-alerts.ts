/**
 * Turns one heartbeat into alerts about the sensor and the contract, given the tenant's limits
 * and what the SensorHub remembers between heartbeats:
 * - `device.drops`: the interval lost more than `dropRateLimit` of its packets (one per hour);
 * - `contract.bandwidth`: traffic above `bandwidthLimitBps` for `sustainedS` (default 5 minutes)
 *   without a break
 *   (one per episode);
 * - `contract.endpoints`: more than `endpointLimit` distinct internal hosts in 30 days (one per
 *   month).
 */

import type { SensorRef } from '../alerts/device-alerts.ts'
import type { NewAlert } from '../alerts/store.ts'
import { dropRate, type Heartbeat } from './heartbeat.ts'

export const SUSTAINED_MS = 5 * 60 * 1000

/** The tenant's settings (edge/src/settings): limits, how long bandwidth must stay over its
 * limit, and after how many missed heartbeats a sensor is offline. */
export type Limits = {
  bandwidthLimitBps: number
  endpointLimit: number
  dropRateLimit: number
  sustainedS?: number
  offlineMissed?: number
}
export type HealthMemory = { overBandwidthSince: number | null }

function base(sensor: SensorRef, now: number) {
  return {
    tenantId: sensor.tenantId,
    sensorId: sensor.id,
    ruleVersion: 1,
    ts: now,
    attack: [] as string[],
  }
}

const minutes = (l: Limits) => Math.round((l.sustainedS ?? SUSTAINED_MS / 1000) / 60)
const percent = (x: number) => `${(x * 100).toFixed(1)}%`
const gbps = (bps: number) => `${(bps / 1e9).toFixed(2)} Gbit/s`

export function healthAlerts(
  sensor: SensorRef,
  h: Heartbeat,
  limits: Limits,
  memory: HealthMemory,
  now: number,
): { alerts: NewAlert[]; memory: HealthMemory } {
  const alerts: NewAlert[] = []
  const rate = dropRate(h)
  if (rate !== undefined && rate > limits.dropRateLimit) {
    alerts.push({
      ...base(sensor, now),
      rule: 'EDGE-DEVICE-DROPS',
      class: 'device.drops',
      severity: 'medium',
      key: `EDGE-DEVICE-DROPS|${sensor.id}|${Math.floor(now / 3_600_000)}`,
      title: {
        en: `Sensor ${sensor.name} is dropping ${percent(rate)} of packets`,
        ja: `センサー ${sensor.name} がパケットの ${percent(rate)} を取りこぼしています`,
      },
      explain: {
        en: `The sensor could not inspect ${percent(rate)} of the traffic it received (limit ${percent(limits.dropRateLimit)}). Attacks in the dropped traffic go unseen.`,
        ja: `センサーが受信した通信の ${percent(rate)} を検査できませんでした（上限 ${percent(limits.dropRateLimit)}）。取りこぼした通信に含まれる攻撃は検知されません。`,
      },
      actions: {
        en: [
          'Check that the mirrored traffic stays within the sensor’s 1 Gbit/s limit.',
          'Ask your sales partner whether the sensor needs more capacity.',
        ],
        ja: [
          'ミラーリングしている通信量がセンサーの上限（1Gbps）以内か確認してください。',
          'センサーの増強が必要か販売パートナーにご相談ください。',
        ],
      },
      evidence: { heartbeat: h, dropRate: rate },
    })
  }
  let overBandwidthSince = memory.overBandwidthSince
  if ((h.bps ?? 0) > limits.bandwidthLimitBps) {
    overBandwidthSince ??= now
    if (now - overBandwidthSince >= (limits.sustainedS ?? SUSTAINED_MS / 1000) * 1000) {
      alerts.push({
        ...base(sensor, now),
        rule: 'EDGE-CONTRACT-BANDWIDTH',
        class: 'contract.bandwidth',
        severity: 'low',
        key: `EDGE-CONTRACT-BANDWIDTH|${sensor.id}|${overBandwidthSince}`,
        title: {
          en: `Sensor ${sensor.name} monitors more than ${gbps(limits.bandwidthLimitBps)}`,
          ja: `センサー ${sensor.name} の監視帯域が ${gbps(limits.bandwidthLimitBps)} を超えています`,
        },
        explain: {
          en: `Traffic of ${gbps(h.bps ?? 0)} has been above the contracted ${gbps(limits.bandwidthLimitBps)} per sensor for at least ${minutes(limits)} minutes.`,
          ja: `通信量 ${gbps(h.bps ?? 0)} が、契約上のセンサーあたり上限 ${gbps(limits.bandwidthLimitBps)} を${minutes(limits)}分以上超えています。`,
        },
        actions: {
          en: ['Contact your sales partner about adding a sensor or changing the contract.'],
          ja: ['センサーの追加または契約の変更について販売パートナーにご相談ください。'],
        },
        evidence: { heartbeat: h, since: overBandwidthSince },
      })
    }
  } else {
    overBandwidthSince = null
  }
  const endpoints = h.endpoints_30d ?? 0
  if (endpoints > limits.endpointLimit) {
    const month = new Date(now).toISOString().slice(0, 7)
    alerts.push({
      ...base(sensor, now),
      rule: 'EDGE-CONTRACT-ENDPOINTS',
      class: 'contract.endpoints',
      severity: 'low',
      key: `EDGE-CONTRACT-ENDPOINTS|${sensor.id}|${month}`,
      title: {
        en: `Sensor ${sensor.name} sees ${endpoints} endpoints (limit ${limits.endpointLimit})`,
        ja: `センサー ${sensor.name} の監視端末数が ${endpoints} 台です（上限 ${limits.endpointLimit} 台）`,
      },
      explain: {
        en: `${endpoints} distinct internal hosts were seen in the last 30 days, more than the ${limits.endpointLimit} the contract covers per sensor. The price is based on the number of monitored endpoints.`,
        ja: `過去30日間に ${endpoints} 台の内部端末が観測され、契約上のセンサーあたり ${limits.endpointLimit} 台を超えています。料金は監視端末数に基づきます。`,
      },
      actions: {
        en: ['Contact your sales partner to review the contract.'],
        ja: ['契約内容の見直しについて販売パートナーにご相談ください。'],
      },
      evidence: { heartbeat: h },
    })
  }
  return { alerts, memory: { overBandwidthSince } }
}
