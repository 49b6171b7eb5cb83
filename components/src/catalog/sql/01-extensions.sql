-- Extensions of the catalog database. Run by CloudNativePG as the superuser, once, right after the database
-- is created (postInitApplicationSQL); every statement is safe to run again.
-- pg_trgm: trigram indexes, so analysts' ILIKE searches over asset names and descriptions stay fast.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- pgcrypto: digests of sample values (PII fingerprints) computed in the database, never copied out.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
