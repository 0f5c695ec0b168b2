-- Ids that come from outside are case-sensitive: "abc" and "ABC" are two items. SQLite compares TEXT with
-- its BINARY collation unless a column or index names another, and none of these key columns does, so
-- nothing changes here (a test checks the collation of each key); the SQL Server migration of the same
-- number gives those columns a binary collation.
SELECT 1;
