/**
 * Checks settings as they come from the portal form or the API: every field present, a number
 * in its range, whole where it must be. Problems come back per field in English and Japanese,
 * saying what is wrong and what is allowed, so the form can show them beside the field.
 */
import type { TenantSettings } from './tenant-settings.ts'

type Text = { en: string; ja: string }
export type SettingsErrors = Partial<Record<keyof TenantSettings, Text>>
export type Validated = { ok: true; value: TenantSettings } | { ok: false; errors: SettingsErrors }

type Field = {
  name: keyof TenantSettings
  min: number
  max: number
  whole: boolean
  label: Text
  unit: Text
}

export const FIELDS: Field[] = [
  {
    name: 'bandwidthMbps',
    min: 1,
    max: 100_000,
    whole: true,
    label: { en: 'Bandwidth limit', ja: '帯域の上限' },
    unit: { en: 'Mbit/s', ja: 'Mbps' },
  },
  {
    name: 'sustainedMinutes',
    min: 1,
    max: 1440,
    whole: true,
    label: { en: 'Sustained for', ja: '継続時間' },
    unit: { en: 'minutes', ja: '分' },
  },
  {
    name: 'endpointLimit',
    min: 1,
    max: 1_000_000,
    whole: true,
    label: { en: 'Endpoint limit', ja: '端末数の上限' },
    unit: { en: 'endpoints per sensor (30 days)', ja: '台／センサー（30日間）' },
  },
  {
    name: 'dropPercent',
    min: 0.1,
    max: 100,
    whole: false,
    label: { en: 'Packet drop alert above', ja: 'パケット取りこぼしの警告' },
    unit: { en: '% of packets', ja: '％を超えたら' },
  },
  {
    name: 'offlineMissed',
    min: 1,
    max: 1000,
    whole: true,
    label: { en: 'Offline after', ja: '停止とみなすまで' },
    unit: { en: 'missed heartbeats', ja: '回ハートビートが途絶えたら' },
  },
]

function parse(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw
  if (typeof raw !== 'string' || raw.trim() === '') return undefined
  const text = raw.trim().replace(/,/g, '')
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN
}

export function validateSettings(input: Record<string, unknown>): Validated {
  const errors: SettingsErrors = {}
  const value: Partial<TenantSettings> = {}
  for (const f of FIELDS) {
    const n = parse(input[f.name])
    const range = `${f.min.toLocaleString('en')}–${f.max.toLocaleString('en')}`
    if (n === undefined) {
      errors[f.name] = {
        en: `${f.label.en} is required (${range} ${f.unit.en}).`,
        ja: `${f.label.ja}を入力してください（${range} ${f.unit.ja}）。`,
      }
    } else if (!Number.isFinite(n)) {
      errors[f.name] = {
        en: `${f.label.en}: “${String(input[f.name])}” is not a number; enter digits only.`,
        ja: `${f.label.ja}：「${String(input[f.name])}」は数値ではありません。数字で入力してください。`,
      }
    } else if (f.whole && !Number.isInteger(n)) {
      errors[f.name] = {
        en: `${f.label.en} must be a whole number (${range} ${f.unit.en}).`,
        ja: `${f.label.ja}は整数で入力してください（${range} ${f.unit.ja}）。`,
      }
    } else if (n < f.min || n > f.max) {
      errors[f.name] = {
        en: `${f.label.en} must be between ${range} ${f.unit.en}; ${n} is outside.`,
        ja: `${f.label.ja}は ${range} ${f.unit.ja}の範囲で入力してください（${n} は範囲外です）。`,
      }
    } else value[f.name] = f.whole ? n : Math.round(n * 10) / 10
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: value as TenantSettings }
}
