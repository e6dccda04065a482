// Worker tests run inside workerd (@cloudflare/vitest-plugin) with the bindings of
// /wrangler.toml and the D1 migrations applied by test/apply-migrations.ts.
// Run from anywhere: `npm test -w @socbox/edge` or `vitest run --config edge/vitest.config.ts`.
import { fileURLToPath } from 'node:url'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig(async () => ({
  root: here('.'),
  plugins: [
    cloudflareTest({
      wrangler: { configPath: here('../wrangler.toml') },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
          // Test-only sealing key (32 bytes, base64); real ones come from secrets.
          SEALING_KEY: 'dGVzdC1vbmx5LXNlYWxpbmcta2V5LTMyLWJ5dGVzISE=',
        },
      },
    }),
  ],
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    setupFiles: ['./test/apply-migrations.ts'],
    testTimeout: 30_000,
  },
}))
