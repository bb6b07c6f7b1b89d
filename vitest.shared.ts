/**
 * Shared Vitest settings for every workspace package.
 *
 * Tests resolve `@slo-scout/*` imports through the `@slo-scout/source` export condition, so they
 * run against TypeScript sources without building upstream packages first.
 */
import { basename } from 'node:path';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const conditions = ['@slo-scout/source', 'node', 'development|production'];

/** Options for {@link createVitestConfig}. */
export interface VitestPackageOptions {
  /** Extra time for slow integration tests, in milliseconds. */
  readonly integrationTimeoutMs?: number;
}

/** Builds a package's Vitest config with a `unit` and an `integration` project. */
export function createVitestConfig(
  packageDir: string,
  options: VitestPackageOptions = {},
): ViteUserConfig {
  const name = basename(packageDir);
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      root: packageDir,
      passWithNoTests: false,
      reporters: process.env['SLO_TEST_JSON']
        ? [
            'default',
            [
              'json',
              {
                outputFile: `${process.env['SLO_TEST_JSON']}/${name}-${process.env['SLO_TEST_KIND'] ?? 'unit'}.json`,
              },
            ],
          ]
        : ['default'],
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            // Generous: property tests share two cores with builds in CI.
            testTimeout: 30_000,
            include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
            exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
          },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: ['test/integration/**/*.int.test.ts'],
            testTimeout: options.integrationTimeoutMs ?? 120_000,
            hookTimeout: options.integrationTimeoutMs ?? 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  });
}
