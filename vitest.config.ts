import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'config/**/*.test.ts',
      'db/**/*.test.ts',
      'core/**/*.test.ts',
      'bot/**/*.test.ts',
      'server/**/*.test.ts',
      'storage/**/*.test.ts',
      'llm/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
