/**
 * `intel.feed` alerts from the feed status the rule pack was built with (@socbox/rules
 * feed-status: schedules, data times and load errors of the feeds behind its intel lists). The
 * status is re-judged against the clock here, so a pack that keeps running while its feeds age
 * says so. One alert per tenant, feed, kind and severity: a stale feed alerts again only when it
 * gets worse (low → medium → high) or when new data arrives and ages again.
 */
import type { FeedSchedule, FeedStatus, HealthFinding } from '@socbox/rules/feed-health'
import { feedHealth } from '@socbox/rules/feed-health'
import type { NewAlert } from '../alerts/store.ts'
import { formatJst } from '../portal/jst.ts'

export type FeedStatusReport = {
  v: 1
  builtAt: string
  schedules: FeedSchedule[]
  statuses: FeedStatus[]
}

export type TenantSensor = { tenantId: string; sensorId: string }

const RULE = 'EDGE-INTEL-FEED'

function text(finding: HealthFinding, status: FeedStatus | undefined) {
  const name = finding.title
    .replace(/^Feed /, '')
    .replace(/ (is stale|failed to load|has never loaded)$/, '')
  const since = status?.dataTime === undefined ? undefined : formatJst(status.dataTime)
  if (finding.kind === 'stale') {
    return {
      title: {
        en: `Threat list "${name}" is out of date`,
        ja: `脅威情報リスト「${name}」が古くなっています`,
      },
      explain: {
        en: `The threat-intelligence feed "${name}" that socbox uses to recognise malicious servers has not been updated since ${since}. Detection by this list misses threats that appeared since then; all other detection keeps working.`,
        ja: `socbox が不正なサーバの判定に使う脅威インテリジェンスのフィード「${name}」は ${since} 以降更新されていません。このリストによる検知では、それ以降に現れた脅威を見逃します。その他の検知は引き続き動作しています。`,
      },
    }
  }
  if (finding.kind === 'failing') {
    return {
      title: {
        en: `Threat list "${name}" could not be updated`,
        ja: `脅威情報リスト「${name}」を更新できませんでした`,
      },
      explain: {
        en: `The last update of the threat-intelligence feed "${name}" failed (${status?.lastLoad?.error ?? 'unknown error'}). socbox keeps using the previous data${since ? ` from ${since}` : ''}, so detection by this list does not include the newest threats.`,
        ja: `脅威インテリジェンスのフィード「${name}」の直近の更新に失敗しました（${status?.lastLoad?.error ?? '不明なエラー'}）。socbox は以前のデータ${since ? `（${since} 時点）` : ''}を使い続けるため、このリストによる検知には最新の脅威が含まれません。`,
      },
    }
  }
  return {
    title: {
      en: `Threat list "${name}" has never been loaded`,
      ja: `脅威情報リスト「${name}」が一度も読み込まれていません`,
    },
    explain: {
      en: `No data of the threat-intelligence feed "${name}" is known to the rule pack; detection by this list is not working.`,
      ja: `ルールパックには脅威インテリジェンスのフィード「${name}」のデータがなく、このリストによる検知は動作していません。`,
    },
  }
}

const ACTIONS = {
  en: [
    'No action is needed on your network: the socbox operators are told of this alert too.',
    'If this alert stays open for more than a day, contact your sales partner so that the feed update is checked.',
  ],
  ja: [
    'お客様のネットワークでの対応は不要です。このアラートは socbox の運用者にも通知されます。',
    'このアラートが1日以上解消されない場合は、フィードの更新状況を確認するよう販売パートナーにお問い合わせください。',
  ],
}

/** The alerts for the findings of `report` at `now`, one per tenant (on one of its sensors). */
export function feedAlerts(
  report: FeedStatusReport,
  sensors: readonly TenantSensor[],
  now: number,
): NewAlert[] {
  const findings = feedHealth(report.schedules, report.statuses, now)
  const statusOf = new Map(report.statuses.map((s) => [s.feed, s]))
  const alerts: NewAlert[] = []
  for (const finding of findings) {
    const status = statusOf.get(finding.feed)
    // The episode: the data the feed is stuck on, or the failed attempt.
    const episode =
      finding.kind === 'stale'
        ? String(status?.dataTime)
        : String(status?.lastLoad?.at ?? report.builtAt)
    const key = `${RULE}|${finding.feed}|${finding.kind}|${finding.severity}|${episode}`
    const { title, explain } = text(finding, status)
    for (const sensor of sensors) {
      alerts.push({
        tenantId: sensor.tenantId,
        sensorId: sensor.sensorId,
        rule: RULE,
        ruleVersion: 1,
        class: 'intel.feed',
        severity: finding.severity,
        ts: now,
        key,
        title,
        explain,
        actions: ACTIONS,
        attack: [],
        evidence: {
          feed: finding.feed,
          kind: finding.kind,
          detail: finding.detail,
          dataTime: status?.dataTime ?? null,
          packFeedsBuiltAt: report.builtAt,
        },
      })
    }
  }
  return alerts
}
