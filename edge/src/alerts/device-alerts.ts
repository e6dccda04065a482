/**
 * Alerts the edge raises about the sensors themselves (class `device.*`, never a threat id).
 * The rule id names the edge as the source; the key makes one alert per outage.
 */
import { formatJst } from '../portal/jst.ts'
import type { NewAlert } from './store.ts'

export type SensorRef = { id: string; tenantId: string; name: string }

export function deviceOfflineAlert(sensor: SensorRef, lastSeenAt: number, now: number): NewAlert {
  const since = formatJst(lastSeenAt)
  return {
    tenantId: sensor.tenantId,
    sensorId: sensor.id,
    rule: 'EDGE-DEVICE-OFFLINE',
    ruleVersion: 1,
    class: 'device.offline',
    severity: 'high',
    ts: now,
    key: `EDGE-DEVICE-OFFLINE|${sensor.id}|${lastSeenAt}`,
    title: {
      en: `Sensor ${sensor.name} is offline`,
      ja: `センサー ${sensor.name} が停止しています`,
    },
    explain: {
      en: `Nothing has arrived from sensor ${sensor.name} since ${since}. Traffic is not being monitored while it is offline.`,
      ja: `センサー ${sensor.name} から ${since} 以降データが届いていません。停止中は通信が監視されていません。`,
    },
    actions: {
      en: [
        'Check that the sensor has power and its management port is connected.',
        'Check that the network allows the sensor to reach the socbox edge over HTTPS.',
        'Contact your sales partner if the sensor does not come back.',
      ],
      ja: [
        'センサーの電源と管理ポートの接続を確認してください。',
        'センサーから socbox への HTTPS 通信がネットワークで許可されているか確認してください。',
        '復旧しない場合は販売パートナーにお問い合わせください。',
      ],
    },
    attack: [],
    evidence: { sensor: sensor.id, lastSeenAt, detectedAt: now },
  }
}
