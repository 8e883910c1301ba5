import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants and keys (gateway), documents, chunks and the embedding cache (ingest).
 * The HNSW index is not created here: it is built per embedding version (dimension and provider are
 * configuration), by `VectorIndexRepository.ensure` at service start — see docs/adr/0003.
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS vector`);

    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name text,
        role text NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
        key_prefix text NOT NULL,
        key_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id)`);

    await q.query(`
      CREATE TABLE documents (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        namespace text NOT NULL,
        doc_id text NOT NULL,
        title text,
        text text NOT NULL,
        mime text NOT NULL DEFAULT 'text/plain',
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        subject_ids text[] NOT NULL DEFAULT '{}',
        doc_hash text NOT NULL,
        meta_hash text NOT NULL,
        embedding_version text NOT NULL,
        chunk_count int NOT NULL,
        token_count int NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        expires_at timestamptz,
        CONSTRAINT documents_tenant_namespace_doc_key UNIQUE (tenant_id, namespace, doc_id)
      )`);
    await q.query(`CREATE INDEX documents_subjects_idx ON documents USING gin (subject_ids)`);

    await q.query(`
      CREATE TABLE chunks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        document_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        namespace text NOT NULL,
        doc_id text NOT NULL,
        ordinal int NOT NULL,
        text text NOT NULL,
        chunk_hash text NOT NULL,
        token_count int NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        embedding vector NOT NULL,
        embedding_version text NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
        deleted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chunks_document_ordinal_key UNIQUE (document_id, ordinal)
      )`);
    await q.query(`CREATE INDEX chunks_scope_idx ON chunks (tenant_id, namespace, embedding_version) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX chunks_tsv_idx ON chunks USING gin (tsv) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX chunks_metadata_idx ON chunks USING gin (metadata jsonb_path_ops) WHERE deleted_at IS NULL`);

    await q.query(`
      CREATE TABLE embedding_cache (
        chunk_hash text NOT NULL,
        embedding_version text NOT NULL,
        embedding vector NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (chunk_hash, embedding_version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS embedding_cache`);
    await q.query(`DROP TABLE IF EXISTS chunks`);
    await q.query(`DROP TABLE IF EXISTS documents`);
    await q.query(`DROP TABLE IF EXISTS api_keys`);
    await q.query(`DROP TABLE IF EXISTS tenants`);
  }
}
