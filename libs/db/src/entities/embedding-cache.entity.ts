import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One embedding per (chunk text hash, embedding version): the same text is never embedded twice. */
@Entity({ name: 'embedding_cache' })
export class EmbeddingCacheEntity {
  @PrimaryColumn({ name: 'chunk_hash', type: 'text' })
  chunkHash!: string;

  @PrimaryColumn({ name: 'embedding_version', type: 'text' })
  embeddingVersion!: string;

  @Column({ type: 'vector', select: false })
  embedding!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
