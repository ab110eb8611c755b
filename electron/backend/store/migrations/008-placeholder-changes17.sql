-- Placeholder kept only so that this branch's migration 009 has no gap: 007 and 008 are
-- reserved for other branches. Delete this file when merging (the real 007/008 replace it).
SELECT 1;
