-- The catalogue of queries the Orleans ADO.NET providers load at start-up, by key.
-- The providers read result columns and bind parameters by name, so names here follow their contract exactly.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
