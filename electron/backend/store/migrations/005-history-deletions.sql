-- Deletions in the record history, found without reading it: a link or marker key that has no row
-- and was never deleted was never written, so the writer inserts it without looking its history up
-- (that lookup, in an index over every record ever imported, was a cold read per record on large
-- cases). Only deletions enter this index.
CREATE INDEX record_history_deletions ON record_history(object) WHERE action = 'delete';
