// Worker tests run inside workerd (@cloudflare/vitest-plugin) with the bindings of
// /wrangler.toml and the D1 migrations applied by test/apply-migrations.ts.
// Run from anywhere: `npm test -w @socbox/edge` or `vitest run --config edge/vitest.config.ts`.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
// The compiled default pack, read here and given to workerd as a binding (see
// test/pack-from-binding.ts): it is too large for the runner's module transport.
const packPath = createRequire(import.meta.url).resolve('@socbox/rules/pack')
const rulePack = JSON.parse(readFileSync(packPath, 'utf8'))

export default defineConfig(async () => ({
  root: here('.'),
  plugins: [
    cloudflareTest({
      wrangler: { configPath: here('../wrangler.toml') },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
          TEST_RULE_PACK: rulePack,
          // Test-only sealing key (32 bytes, base64); real ones come from secrets.
          SEALING_KEY: 'dGVzdC1vbmx5LXNlYWxpbmcta2V5LTMyLWJ5dGVzISE=',
        },
      },
    }),
  ],
  resolve: { alias: { '@socbox/rules/pack': here('./test/pack-from-binding.ts') } },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    setupFiles: ['./test/apply-migrations.ts'],
    testTimeout: 30_000,
  },
}))
