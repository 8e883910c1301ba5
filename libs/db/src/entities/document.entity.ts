import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DocumentStatus = 'active' | 'deleted';

@Entity({ name: 'documents' })
export class DocumentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  namespace!: string;

  @Column({ name: 'doc_id', type: 'text' })
  docId!: string;

  @Column({ type: 'text', nullable: true })
  title!: string | null;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'text' })
  mime!: string;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  @Column({ name: 'subject_ids', type: 'text', array: true })
  subjectIds!: string[];

  @Column({ name: 'doc_hash', type: 'text' })
  docHash!: string;

  /** Hash of title, metadata and subject ids: a change there updates the row without re-embedding. */
  @Column({ name: 'meta_hash', type: 'text' })
  metaHash!: string;

  @Column({ name: 'embedding_version', type: 'text' })
  embeddingVersion!: string;

  @Column({ name: 'chunk_count', type: 'int' })
  chunkCount!: number;

  @Column({ name: 'token_count', type: 'int' })
  tokenCount!: number;

  @Column({ type: 'text' })
  status!: DocumentStatus;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
