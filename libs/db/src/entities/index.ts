import { ApiKeyEntity } from './api-key.entity';
import { ChunkEntity } from './chunk.entity';
import { DocumentEntity } from './document.entity';
import { EmbeddingCacheEntity } from './embedding-cache.entity';
import { TenantEntity } from './tenant.entity';

export { ApiKeyEntity, ChunkEntity, DocumentEntity, EmbeddingCacheEntity, TenantEntity };
export type { ApiKeyRoleValue } from './api-key.entity';
export type { DocumentStatus } from './document.entity';

export const ENTITIES = [TenantEntity, ApiKeyEntity, DocumentEntity, ChunkEntity, EmbeddingCacheEntity];
