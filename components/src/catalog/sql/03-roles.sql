-- Roles of the catalog database. catalog_readonly is the analysts' role: it reads every table of public
-- and platform, those the owner creates later included (default privileges), and writes nothing. Grant it
-- to a login role: CREATE ROLE alice LOGIN IN ROLE catalog_readonly. Run as the superuser; idempotent.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'catalog_readonly') THEN
    CREATE ROLE catalog_readonly NOLOGIN;
  END IF;
END
$$;

-- A second lock besides the grants: sessions of this role start read-only.
ALTER ROLE catalog_readonly SET default_transaction_read_only = on;

DO $$
DECLARE
  owner_role text := (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database());
  schema_name text;
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO catalog_readonly', current_database());
  FOREACH schema_name IN ARRAY ARRAY['public', 'platform'] LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO catalog_readonly', schema_name);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO catalog_readonly', schema_name);
    EXECUTE format('GRANT SELECT ON ALL SEQUENCES IN SCHEMA %I TO catalog_readonly', schema_name);
    -- Tables the catalog's migrations create later, as the owner, are readable too.
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT ON TABLES TO catalog_readonly', owner_role, schema_name);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT ON SEQUENCES TO catalog_readonly', owner_role, schema_name);
  END LOOP;
END
$$;
