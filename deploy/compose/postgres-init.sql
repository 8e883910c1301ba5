-- Compose only: run once by the postgres image, as the superuser in the `datafactory` database, when its data volume
-- is first initialised. The services and the migrate job log in as `datafactory`, which owns the database but is
-- no superuser; the vector extension (which needs one to create) is created here, so the first migration's
-- CREATE EXTENSION IF NOT EXISTS finds it.
\set ON_ERROR_STOP on
\set app_password `cat "$DATAFACTORY_DB_PASSWORD_FILE"`
CREATE ROLE datafactory LOGIN PASSWORD :'app_password';
ALTER DATABASE datafactory OWNER TO datafactory;
CREATE EXTENSION IF NOT EXISTS vector;
