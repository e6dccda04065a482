import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Property tests and capture cases are CPU-bound; a busy 2-core CI machine needs headroom.
  test: {
    include: ['src/**/*.test.ts', 'schema/**/*.test.ts', 'bench/**/*.test.ts', 'docs/**/*.test.ts'],
    testTimeout: 30_000,
  },
})
