-- Migration number: 0003 	 2026-11-27T11:40:00.000Z
-- Alert policy memory per sensor (dedup episodes, open rate windows, totals) and the rules'
-- first_seen memory, written in the same D1 batch as the alerts the policy let through, so a
-- retried batch sees exactly what was committed. Site variable values per tenant (checked
-- against the pack's declared types when rules run).
CREATE TABLE policy_state (
  sensor_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  policy TEXT NOT NULL,
  state TEXT NOT NULL,
  first_seen TEXT,
  updated_at INTEGER NOT NULL
);
CREATE TABLE tenant_site_settings (
  tenant_id TEXT PRIMARY KEY,
  settings TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
