-- Migration number: 0004 	 2026-11-27T12:20:00.000Z
-- The rest of the per-tenant health settings (0002 added the limits): how long traffic must stay
-- above the bandwidth limit before `contract.bandwidth` (default 5 minutes, as the service terms
-- say), and after how many missed heartbeats a sensor counts as offline.
ALTER TABLE tenants ADD COLUMN bandwidth_sustained_s INTEGER NOT NULL DEFAULT 300;
ALTER TABLE tenants ADD COLUMN offline_missed_heartbeats INTEGER NOT NULL DEFAULT 3;
