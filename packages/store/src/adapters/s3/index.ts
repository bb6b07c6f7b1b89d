/** A blob store on S3 or an S3-compatible server (MinIO, versitygw), with multipart uploads. */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { StoreError } from '../../errors.ts';
import type { RetentionPolicy } from '../../core/retention.ts';
import type { BlobStore } from '../../blob/types.ts';
import { checkBlobKey } from '../../blob/key-check.ts';

/** Options of {@link createS3BlobStore}. */
export interface S3BlobStoreOptions {
  readonly bucket: string;
  readonly region: string;
  /** For S3-compatible servers, e.g. `http://127.0.0.1:9000`; omit for AWS. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Path-style URLs (`/bucket/key`), needed by MinIO and most S3-compatible servers. Default true with an endpoint. */
  readonly forcePathStyle?: boolean;
  /** Objects at least this large go up in parts. Default 16 MiB. */
  readonly multipartThresholdBytes?: number;
  /** Part size of multipart uploads, at least 5 MiB (the S3 minimum). Default 8 MiB. */
  readonly partSizeBytes?: number;
  /** An existing client to use instead of building one. */
  readonly client?: S3Client;
}

/** An S3 blob store, with the client and what it did (for tests and metrics). */
export interface S3BlobStore extends BlobStore {
  readonly client: S3Client;
  /** Number of multipart uploads completed. */
  multipartUploads(): number;
  /** The lifecycle rules currently on the bucket. */
  lifecycleRules(): Promise<LifecycleRule[]>;
}

const MIB = 1024 * 1024;

const isNotFound = (e: unknown): boolean => {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return x?.name === 'NoSuchKey' || x?.name === 'NotFound' || x?.$metadata?.httpStatusCode === 404;
};

function blobError(action: string, key: string, cause: unknown): StoreError {
  if (cause instanceof StoreError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StoreError('BLOB_IO', `s3 ${action} ${key} failed: ${reason}`, { cause });
}

/** Creates the S3 blob store; validates options and throws `INVALID_OPTIONS` on a bad one. */
export function createS3BlobStore(options: S3BlobStoreOptions): S3BlobStore {
  if (
    typeof options.bucket !== 'string' ||
    !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)
  ) {
    throw new StoreError(
      'INVALID_OPTIONS',
      `bucket "${options.bucket}" is not a valid bucket name`,
      { path: 'bucket' },
    );
  }
  const threshold = options.multipartThresholdBytes ?? 16 * MIB;
  const partSize = options.partSizeBytes ?? 8 * MIB;
  if (!Number.isSafeInteger(partSize) || partSize < 5 * MIB) {
    throw new StoreError('INVALID_OPTIONS', `partSizeBytes must be >= 5 MiB, got ${partSize}`, {
      path: 'partSizeBytes',
    });
  }
  if (!Number.isSafeInteger(threshold) || threshold < partSize) {
    throw new StoreError('INVALID_OPTIONS', 'multipartThresholdBytes must be >= partSizeBytes', {
      path: 'multipartThresholdBytes',
    });
  }
  const client =
    options.client ??
    new S3Client({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    });
  const Bucket = options.bucket;
  let multipart = 0;

  async function putMultipart(
    Key: string,
    body: Uint8Array,
    meta: { ContentType?: string; ContentEncoding?: string },
  ) {
    const created = await client.send(new CreateMultipartUploadCommand({ Bucket, Key, ...meta }));
    const UploadId = created.UploadId;
    if (UploadId === undefined) throw new StoreError('BLOB_IO', `s3 gave no upload id for ${Key}`);
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let offset = 0, n = 1; offset < body.length; offset += partSize, n++) {
        const res = await client.send(
          new UploadPartCommand({
            Bucket,
            Key,
            UploadId,
            PartNumber: n,
            Body: body.subarray(offset, offset + partSize),
          }),
        );
        parts.push({ ETag: res.ETag ?? '', PartNumber: n });
      }
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      multipart++;
    } catch (e) {
      await client
        .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }))
        .catch(() => undefined);
      throw e;
    }
  }

  return {
    client,
    multipartUploads: () => multipart,
    async put(key, body, opts = {}) {
      const Key = checkBlobKey(key);
      const meta = {
        ...(opts.contentType === undefined ? {} : { ContentType: opts.contentType }),
        ...(opts.contentEncoding === undefined ? {} : { ContentEncoding: opts.contentEncoding }),
      };
      try {
        if (body.length >= threshold) await putMultipart(Key, body, meta);
        else await client.send(new PutObjectCommand({ Bucket, Key, Body: body, ...meta }));
      } catch (e) {
        throw blobError('put', key, e);
      }
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: checkBlobKey(key) }));
        return res.Body === undefined ? new Uint8Array() : await res.Body.transformToByteArray();
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw blobError('get', key, e);
      }
    },
    async exists(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: checkBlobKey(key) }));
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw blobError('head', key, e);
      }
    },
    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: checkBlobKey(key) }));
      } catch (e) {
        if (!isNotFound(e)) throw blobError('delete', key, e);
      }
    },
    async *list(prefix) {
      let ContinuationToken: string | undefined;
      do {
        const res = await client.send(
          new ListObjectsV2Command({
            Bucket,
            Prefix: prefix,
            ...(ContinuationToken === undefined ? {} : { ContinuationToken }),
          }),
        );
        for (const o of res.Contents ?? [])
          if (o.Key !== undefined) yield { key: o.Key, size: o.Size ?? 0 };
        ContinuationToken = res.IsTruncated === true ? res.NextContinuationToken : undefined;
      } while (ContinuationToken !== undefined);
    },
    async applyRetention(policy: RetentionPolicy) {
      const Rules: LifecycleRule[] = [
        {
          ID: 'slo-scout-raw-samples',
          Status: 'Enabled',
          Filter: { Prefix: 'raw/' },
          Expiration: { Days: policy.rawSampleDays },
        },
        {
          ID: 'slo-scout-abort-multipart',
          Status: 'Enabled',
          Filter: { Prefix: '' },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ];
      try {
        await client.send(
          new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }),
        );
      } catch (e) {
        throw blobError('put-lifecycle', Bucket, e);
      }
    },
    async lifecycleRules() {
      try {
        return (
          (await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules ?? []
        );
      } catch (e) {
        if ((e as { name?: string }).name === 'NoSuchLifecycleConfiguration') return [];
        throw blobError('get-lifecycle', Bucket, e);
      }
    },
  };
}
