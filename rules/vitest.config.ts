import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Capture cases run tshark; a busy 2-core CI machine needs headroom.
  test: { include: ['**/*.test.ts'], exclude: ['node_modules/**', 'dist/**'], testTimeout: 30_000 },
})
