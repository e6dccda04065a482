/**
 * Test stand-in for `@socbox/rules/pack` (aliased in vitest.config.ts). The real compiled pack
 * carries the sensors' match plan (megabytes of intel) and is too large for the test runner's
 * module transport, so vitest.config.ts hands the very same file to workerd as a JSON binding
 * and this module re-exports it: tests still run the real default pack.
 */
import { env } from 'cloudflare:workers'

export default (env as unknown as { TEST_RULE_PACK: unknown }).TEST_RULE_PACK
