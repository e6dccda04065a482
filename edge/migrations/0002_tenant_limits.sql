-- Migration number: 0002 	 2026-11-27T09:10:00.000Z
-- Per-tenant health and contract thresholds (service terms: 1 Gbit/s and about 1,000 monitored
-- endpoints per sensor). Heartbeats are compared against them by the sensor's SensorHub.
ALTER TABLE tenants ADD COLUMN bandwidth_limit_bps INTEGER NOT NULL DEFAULT 1000000000;
ALTER TABLE tenants ADD COLUMN endpoint_limit INTEGER NOT NULL DEFAULT 1000;
ALTER TABLE tenants ADD COLUMN drop_rate_limit REAL NOT NULL DEFAULT 0.05;
