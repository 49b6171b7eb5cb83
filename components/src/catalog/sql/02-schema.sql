-- The platform's own schema in the catalog database, owned by the database's owner (the role the catalog
-- connects as), beside the tables the catalog's migrations create in public. It holds the sensitivity
-- levels every dataset is classified with, so SQL users read the same vocabulary the catalog shows.
-- Run as the superuser; the owner is read from the database itself, so the file needs no parameters.
-- Nobody but the owner creates objects in public (PostgreSQL 15's default, stated for older servers).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS platform;

CREATE TABLE IF NOT EXISTS platform.sensitivity_levels (
  level text PRIMARY KEY,
  rank integer NOT NULL UNIQUE,
  description text NOT NULL
);

INSERT INTO platform.sensitivity_levels (level, rank, description) VALUES
  ('public', 0, 'May be published outside the company.'),
  ('internal', 1, 'Any employee may read it.'),
  ('confidential', 2, 'Only the owning team and those it grants; may hold personal data (PII).'),
  ('restricted', 3, 'Named people only; regulated or sensitive personal data.')
ON CONFLICT (level) DO UPDATE SET rank = EXCLUDED.rank, description = EXCLUDED.description;

DO $$
DECLARE
  owner_role text := (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database());
BEGIN
  EXECUTE format('ALTER SCHEMA platform OWNER TO %I', owner_role);
  EXECUTE format('ALTER TABLE platform.sensitivity_levels OWNER TO %I', owner_role);
END
$$;
