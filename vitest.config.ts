// Node-side tests of every workspace, plus the end-to-end test against the local stack.
// Worker code is tested inside workerd by edge/vitest.config.ts (run separately by scripts/test.ts).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{bin,scripts,contracts,dsl,rules,sensor-native}/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/target/**'],
          // Several tests run the real CLI as a process; a loaded 2-core CI machine needs room.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
})
