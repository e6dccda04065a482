/**
 * A tenant's health and contract settings as people edit them (Mbit/s, minutes, percent) and
 * as the database keeps them (bit/s, seconds, fraction). Defaults follow the service terms:
 * 1 Gbit/s sustained for 5 minutes, 1,000 endpoints per sensor; drops over 5 %; offline after
 * 3 missed heartbeats.
 */
export type TenantSettings = {
  bandwidthMbps: number
  sustainedMinutes: number
  endpointLimit: number
  dropPercent: number
  offlineMissed: number
}

export const DEFAULT_SETTINGS: TenantSettings = {
  bandwidthMbps: 1000,
  sustainedMinutes: 5,
  endpointLimit: 1000,
  dropPercent: 5,
  offlineMissed: 3,
}

/** The columns of `tenants` that hold the settings. */
export type SettingsRow = {
  bandwidthLimitBps: number
  bandwidthSustainedS: number
  endpointLimit: number
  dropRateLimit: number
  offlineMissedHeartbeats: number
}

export function fromRow(row: SettingsRow): TenantSettings {
  return {
    bandwidthMbps: Math.round(row.bandwidthLimitBps / 1e6),
    sustainedMinutes: Math.round(row.bandwidthSustainedS / 60),
    endpointLimit: row.endpointLimit,
    // Rounded to what the form shows, so an unchanged form saves the same value.
    dropPercent: Math.round(row.dropRateLimit * 1000) / 10,
    offlineMissed: row.offlineMissedHeartbeats,
  }
}

export function toRow(s: TenantSettings): SettingsRow {
  return {
    bandwidthLimitBps: s.bandwidthMbps * 1e6,
    bandwidthSustainedS: s.sustainedMinutes * 60,
    endpointLimit: s.endpointLimit,
    dropRateLimit: s.dropPercent / 100,
    offlineMissedHeartbeats: s.offlineMissed,
  }
}
