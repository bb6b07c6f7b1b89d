import type * as schema from '@slo-scout/schema';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AggregatorEvent,
  CapsuleEvent,
  CapsuleWindow,
  SampleEntry,
  SeverityDistribution,
} from './types.ts';

describe('types agree with @slo-scout/schema', () => {
  // Checked by `tsc`: a field changed on either side fails to compile.
  it('mirrors the wire records exactly', () => {
    expectTypeOf<CapsuleEvent>().toEqualTypeOf<schema.CapsuleEvent>();
    expectTypeOf<CapsuleWindow>().toEqualTypeOf<schema.CapsuleWindow>();
    expectTypeOf<SeverityDistribution>().toEqualTypeOf<schema.SeverityDistribution>();
    expectTypeOf<SampleEntry>().toEqualTypeOf<schema.SampleEntry>();
  });

  it('accepts any schema CapsuleEvent as input and emits schema CapsuleWindows', () => {
    expectTypeOf<schema.CapsuleEvent>().toExtend<AggregatorEvent>();
    expectTypeOf<CapsuleWindow>().toExtend<schema.CapsuleWindow>();
    expectTypeOf<schema.CapsuleWindow>().toExtend<CapsuleWindow>();
  });
});
