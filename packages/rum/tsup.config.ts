import { defineConfig } from 'tsup';
import { createTsupConfig } from '../../tsup.shared.ts';

// A browser SDK: browser platform, modern browser target; `web-vitals` stays an external import.
export default defineConfig(
  createTsupConfig(
    { index: 'src/index.ts' },
    { platform: 'browser', target: 'es2020', external: ['web-vitals'] },
  ),
);
