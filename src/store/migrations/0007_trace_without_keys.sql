-- The derived trace tables are only appended to (rows of one event share its seq) and are read
-- through their secondary indexes; their primary keys were one more B-tree insert per row in the
-- capture transaction for nothing (a quarter of the index work on trace_moves). Drop them.
ALTER TABLE trace_links DROP CONSTRAINT trace_links_pkey;
ALTER TABLE trace_units DROP CONSTRAINT trace_units_pkey;
ALTER TABLE trace_moves DROP CONSTRAINT trace_moves_pkey;
ALTER TABLE trace_readings DROP CONSTRAINT trace_readings_pkey;
