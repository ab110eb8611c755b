// The re-import fast path (#13). A newer golden copy restates almost every record byte for byte;
// parsing and mapping those records again was most of a re-import's time. The XML reader cuts each
// record element out of the text (gleif/xml.ts) and digests its exact text; the writer stores that
// digest on the record's key (record_keys.raw, migration 014) when it states the record in full.
// At the next import of the same family, the writer hands the reader the digests its keys hold
// (KnownRecords); a record whose text digests to one of them restates exactly what that key last
// stated (the same bytes, the same reader and mapper version, the same family), so it is only
// confirmed, as an unchanged record always was, without being parsed, mapped or compared.
//
// Fail closed: a digest is 128 bits of SHA-256 over a salt and the text, so only the same bytes
// find a key (a digest forged in a case database finds nothing, or only the record whose bytes it
// really is); a digest held by two keys is dropped (see knownFrom); and a record whose key this
// import already stated in full is parsed in full even when its digest is known (see KeysSeen).
import { createHash } from 'node:crypto';
import type { Fact } from '../../../shared/formats/facts';

export const DIGEST_BYTES = 16;

/** The digests known for one import, sorted (bytewise), each with a 32-bit hash of its key. */
export interface KnownRecords {
  digests: Uint8Array;
  keyHashes: Uint32Array;
}

export function rawDigest(salt: string, text: string): Buffer {
  return createHash('sha256').update(salt).update(text).digest().subarray(0, DIGEST_BYTES);
}

/** FNV-1a over the key's UTF-16 code units: only to tell which known records' keys were seen. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The record key a fact is written under (store/writer.ts: identifierKey for an entity). */
export function factKey(f: Fact): string {
  return f.type === 'entity' ? `${f.ref.scheme}:${f.ref.value}` : f.key;
}

/** Index of `digest` in the sorted table, or -1. */
export function findKnown(known: KnownRecords, digest: Buffer): number {
  let lo = 0;
  let hi = known.keyHashes.length - 1;
  const t = known.digests;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    // > 0: the digest sorts after the table's entry
    const c = digest.compare(t, mid * DIGEST_BYTES, mid * DIGEST_BYTES + DIGEST_BYTES);
    if (c === 0) return mid;
    if (c > 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Keys this import stated in full, by hash (a bitset of 2^24 bits, 2 MiB, whatever the file
 * size): a known record whose key hash is here is parsed in full, since the key's state is no
 * longer the one its digest was taken from (the same key twice in one file). A hash collision only
 * sends a record the full way.
 */
export class KeysSeen {
  private readonly bits = new Uint8Array(1 << 21);
  add(h: number): void {
    const i = h >>> 8;
    this.bits[i >>> 3]! |= 1 << (i & 7);
  }
  has(h: number): boolean {
    const i = h >>> 8;
    return (this.bits[i >>> 3]! & (1 << (i & 7))) !== 0;
  }
}

/** Per item of a record batch: how the writer takes it (RecordBatch.flags). */
export const NO_DIGEST = -2;
export const NEW_DIGEST = -1;
