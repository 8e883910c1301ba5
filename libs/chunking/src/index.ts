export { type Chunk, chunkText } from './chunker';
export { type ChunkingOptions, DEFAULT_CHUNKING_OPTIONS, resolveChunkingOptions } from './chunking-options';
export { sha256Hex } from './hash';
export { cl100kTokenizer, type Tokenizer } from './tokenizer';
