-- Migration number: 0005 	 2026-11-27T12:35:00.000Z
-- A tenant's own indicator lists (its blocklists, partners' feeds), added to the match plan of
-- the rule pack its sensors receive (GET /v1/pack): only that tenant's sensors match them.
CREATE TABLE tenant_intel_lists (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  ioc TEXT NOT NULL,
  entries TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, name)
);
