/** Capsule fixtures shared by the store integration tests. */
import type { CapsuleInput, EmbeddedCapsule, Embedder } from '../../src/index.ts';

export const NOW = 1_700_000_000_000;
export const HOUR = 3_600_000;

/** A redacted window of `template` in `service`, `hoursAgo` before NOW. */
export function window(
  fp: string,
  service: string,
  template: string,
  hoursAgo: number,
  severity: number,
): CapsuleInput {
  const t = NOW - hoursAgo * HOUR;
  return {
    fingerprint_hash: fp,
    service,
    template,
    time_bucket_ms: t,
    window_size_ms: 60_000,
    count: 10 + hoursAgo,
    severity_distribution: {
      unspecified: 0,
      trace: 0,
      debug: 0,
      info: 0,
      warn: 0,
      error: 0,
      fatal: 0,
    },
    reservoir_sample: [
      {
        event_id: `${fp}-${service}-${hoursAgo}`,
        event_time_ms: t + 1,
        severity_number: severity,
        redacted_sample: template,
      },
    ],
    distinct_sources: 1,
    first_seen_ms: t,
    last_seen_ms: t + 30_000,
    redaction_applied: true,
  };
}

/** A small corpus over 3 services, 4 templates and 3 ages. */
export function corpus(): CapsuleInput[] {
  const templates: [string, string, number][] = [
    ['pay', 'payment to <*> failed: card declined', 17],
    ['login', 'user <*> logged in', 9],
    ['disk', 'disk usage on <*> above <*> percent', 13],
    ['timeout', 'upstream <*> timed out after <*> ms', 17],
  ];
  return ['checkout', 'auth', 'cart'].flatMap((service) =>
    templates.flatMap(([fp, template, severity]) =>
      [1, 6, 48].map((h) => window(fp, service, template, h, severity)),
    ),
  );
}

/** Embeds fixtures or throws. */
export async function embedAll(
  embedder: Embedder,
  capsules: CapsuleInput[],
): Promise<EmbeddedCapsule[]> {
  const result = await embedder.embedCapsules(capsules);
  if (!result.ok) throw result.error;
  return result.value;
}
