-- Migration number: 0006 	 2026-11-27T15:00:00.000Z
-- The alert policy's memory (dedup episodes, open rate windows, totals) for the alerts the edge
-- raises itself about a sensor (device.offline, device.drops, contract.*), written in the same
-- D1 batch as those alerts. Kept apart from policy_state, which the sensor's batches write from
-- the memory of their engine: two writers of one row would undo each other's changes.
CREATE TABLE device_policy_state (
  sensor_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  policy TEXT NOT NULL,
  state TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
