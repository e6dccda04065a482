-- Migration number: 0001 	 2026-11-27T09:00:00.000Z
-- Signed ingest: once a sensor has sent a valid signature, unsigned batches from it are refused
-- (a downgrade would otherwise let a captured bearer token post unsigned data).
ALTER TABLE sensors ADD COLUMN require_signature INTEGER NOT NULL DEFAULT 0;
