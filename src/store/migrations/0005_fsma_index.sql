-- The FSMA 204 export reads a product's movements over a period: cover what it needs in the index,
-- so the month of one product is read from the index alone (docs/fsma204.md).
DROP INDEX trace_moves_gtin;
CREATE INDEX trace_moves_gtin ON trace_moves (org_id, gtin, event_time) INCLUDE (item, kind, seq) WHERE gtin IS NOT NULL;
