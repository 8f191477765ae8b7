-- mq4j PostgreSQL schema, version 2: vacuum never truncates the queue tables.
-- ${schema} is replaced by the (validated, quoted) schema name. Applied by the backend under an
-- advisory lock at start, or by hand: replace ${schema}, run this file, then
--   INSERT INTO ${schema}.schema_version (version, description) VALUES (2, 'keep table pages');
--
-- A vacuum that finds a drained queue table empty would cut it to zero pages. The planner then
-- takes the table for empty (PostgreSQL 14 and later trust a vacuumed table's size), and a
-- statement planned at that moment, such as a FIFO send's look for earlier messages of its group,
-- is planned as a sequential scan and kept in the connection's plan cache while the queue fills
-- again: every send then reads the whole table. Measured: a 100,000-message FIFO burst took 37 s
-- instead of 3.5 s. Keeping the pages (empty pages are reused by the next messages) also spares
-- every queue operation the ACCESS EXCLUSIVE lock that truncation takes, and standbys the query
-- cancellations its replay causes.
-- The TOAST table (bodies over about 2 KB) likewise: reading such a body waits for its lock.
ALTER TABLE ${schema}.message SET (vacuum_truncate = false, toast.vacuum_truncate = false);
ALTER TABLE ${schema}.dedup SET (vacuum_truncate = false);
