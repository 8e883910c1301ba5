import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Mapped for schema documentation and ad-hoc reads; writes and searches use SQL in the repositories. */
@Entity({ name: 'chunks' })
export class ChunkEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'document_id', type: 'bigint' })
  documentId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  namespace!: string;

  @Column({ name: 'doc_id', type: 'text' })
  docId!: string;

  @Column({ type: 'int' })
  ordinal!: number;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'chunk_hash', type: 'text' })
  chunkHash!: string;

  @Column({ name: 'token_count', type: 'int' })
  tokenCount!: number;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  @Column({ type: 'vector', select: false })
  embedding!: string;

  @Column({ name: 'embedding_version', type: 'text' })
  embeddingVersion!: string;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
