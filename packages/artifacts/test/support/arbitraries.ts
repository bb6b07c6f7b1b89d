/** fast-check arbitraries of valid SloSpecs shared by the artifacts tests. */
import fc from 'fast-check';
import { SLO_SPEC_API_VERSION, type SloSpec } from '@slo-scout/schema';

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const dnsName = fc.stringMatching(/^[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,6})?$/);
const metric = fc.stringMatching(/^[a-z][a-z_]{0,14}$/);

/** A valid SloSpec with a bad or good ratio, a period from 7d to 90d and optional alerting. */
export const sloSpecArb: fc.Arbitrary<SloSpec> = fc
  .record({
    name: dnsName,
    service: dnsName,
    metric,
    useGood: fc.boolean(),
    target: fc.integer({ min: 9000, max: 99_990 }).map((n) => n / 100_000),
    days: fc.constantFrom(7, 14, 28, 30, 90),
    minEvents: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
    labels: fc.dictionary(label, label, { maxKeys: 3 }),
    pageDisabled: fc.boolean(),
  })
  .map((r): SloSpec => {
    const total = `sum(rate(${r.metric}_total{job="${r.service}"}[{{.window}}]))`;
    const sel = r.useGood ? 'code!~"5.."' : 'code=~"5.."';
    const part = `sum(rate(${r.metric}_total{job="${r.service}",${sel}}[{{.window}}]))`;
    return {
      apiVersion: SLO_SPEC_API_VERSION,
      kind: 'SLO',
      metadata: { name: r.name, labels: r.labels },
      spec: {
        service: r.service,
        indicator: {
          name: r.name,
          kind: 'availability',
          ratio: r.useGood ? { good: part, total } : { bad: part, total },
        },
        timeWindow: { duration: `${r.days}d`, isRolling: true },
        budgetingMethod: 'Occurrences',
        objectives: [{ target: r.target }],
        alerting: {
          ...(r.minEvents === undefined ? {} : { minEvents: r.minEvents }),
          ...(r.pageDisabled ? { pageDisabled: true } : {}),
        },
      },
    };
  });
