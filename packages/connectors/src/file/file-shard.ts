/**
 * Which discovery shard owns a file: a stable 32-bit FNV-1a hash of its path
 * modulo the shard count. Every reader computes the same answer without
 * talking to the others, so each file is read by exactly one reader.
 */
export function fileShard(path: string, shardCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    hash ^= path.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shardCount;
}
