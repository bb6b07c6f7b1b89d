// @ts-check
// The repository's config plus the React hooks rules for the console's components. ESLint 10
// uses the nearest config file, so this one applies to apps/web only.
import reactHooks from 'eslint-plugin-react-hooks';
import root from '../../eslint.config.mjs';

export default [
  ...root,
  {
    files: ['**/*.tsx', 'src/**/*.ts'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
];
