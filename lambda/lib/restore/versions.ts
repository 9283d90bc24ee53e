import { ListObjectVersionsCommand, type ListObjectVersionsCommandOutput, type S3Client } from '@aws-sdk/client-s3';

/** One entry of a key's history: an object version or a delete marker. */
export interface VersionEntry {
  readonly key: string;
  /** `null` (the string) for an object written before versioning was enabled. */
  readonly versionId: string;
  readonly lastModified: Date;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  readonly etag?: string;
  readonly size?: number;
}

/** Where a listing stands: resume with these markers (both unset = from the start). */
export interface ListingPosition {
  readonly keyMarker?: string;
  readonly versionIdMarker?: string;
}

export interface VersionPage {
  /** Versions and delete markers of this page, in key order, newest first within a key. */
  readonly entries: VersionEntry[];
  /** Markers for the next page; undefined when this was the last page. */
  readonly next?: ListingPosition;
}

/**
 * Puts a page's versions and delete markers back into one list in S3's order: key ascending, then
 * newest first. The SDK returns them as two arrays, which loses their interleaving; entries of one
 * key with the same LastModified are ordered by `isLatest` first, then versions before delete
 * markers (see `sameInstantOrder` in planner.ts for why).
 */
export function mergePage(output: ListObjectVersionsCommandOutput): VersionEntry[] {
  const entries: VersionEntry[] = [
    ...(output.Versions ?? []).map((v) => ({
      key: v.Key!,
      versionId: v.VersionId ?? 'null',
      lastModified: v.LastModified!,
      isLatest: v.IsLatest === true,
      isDeleteMarker: false,
      etag: v.ETag,
      size: v.Size,
    })),
    ...(output.DeleteMarkers ?? []).map((d) => ({
      key: d.Key!,
      versionId: d.VersionId ?? 'null',
      lastModified: d.LastModified!,
      isLatest: d.IsLatest === true,
      isDeleteMarker: true,
    })),
  ];
  return entries.sort(compareEntries);
}

/** S3 orders keys by their UTF-8 bytes, which differs from JavaScript's UTF-16 order outside ASCII. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** S3 listing order: key ascending (binary), newest first; ties broken as described in mergePage. */
export function compareEntries(a: VersionEntry, b: VersionEntry): number {
  if (a.key !== b.key) return compareKeys(a.key, b.key);
  const dt = b.lastModified.getTime() - a.lastModified.getTime();
  if (dt !== 0) return dt;
  if (a.isLatest !== b.isLatest) return a.isLatest ? -1 : 1;
  if (a.isDeleteMarker !== b.isDeleteMarker) return a.isDeleteMarker ? 1 : -1;
  return 0;
}

export interface ListVersionsOptions {
  readonly bucket: string;
  readonly prefix?: string;
  readonly start?: ListingPosition;
  /** Page size; S3's maximum (and default) is 1,000. */
  readonly maxKeys?: number;
  /** Called once per ListObjectVersions request, for cost accounting. */
  readonly onRequest?: () => void;
}

/**
 * Streams a bucket's (or prefix's) versions page by page: one ListObjectVersions request per page
 * of up to 1,000 entries, following both KeyMarker and VersionIdMarker. The SDK has no paginator for
 * this operation. Only one page is held in memory at a time.
 */
export async function* listVersionPages(s3: S3Client, options: ListVersionsOptions): AsyncGenerator<VersionPage> {
  let position: ListingPosition | undefined = options.start ?? {};
  while (position) {
    options.onRequest?.();
    const output: ListObjectVersionsCommandOutput = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: options.bucket,
        Prefix: options.prefix,
        KeyMarker: position.keyMarker,
        VersionIdMarker: position.versionIdMarker,
        MaxKeys: options.maxKeys,
      }),
    );
    position = output.IsTruncated
      ? { keyMarker: output.NextKeyMarker, versionIdMarker: output.NextVersionIdMarker }
      : undefined;
    let entries = mergePage(output);
    // Resuming after a key: S3 starts after it, but some S3-compatible stores (moto among them)
    // return the rest of that key's versions. Drop them: the caller finished that key.
    const after = options.start?.versionIdMarker === undefined ? options.start?.keyMarker : undefined;
    if (after !== undefined) entries = entries.filter((e) => compareKeys(e.key, after) > 0);
    yield { entries, next: position };
  }
}
