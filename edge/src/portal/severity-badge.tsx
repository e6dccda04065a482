import type { Locale, Severity } from '../db/schema.ts'
import { t } from './messages.ts'

export function SeverityBadge({ locale, severity }: { locale: Locale; severity: Severity }) {
  return <span class={`sev sev-${severity}`}>{t(locale, `severity.${severity}`)}</span>
}

export function endpoint(ip: string | null, port: number | null): string {
  if (!ip) return '–'
  if (port === null) return ip
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`
}
