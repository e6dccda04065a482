/**
 * `npm start`: the whole local stack with demo data, a sensor replaying the bundled capture into
 * it, and the portal URL and demo login printed. Ctrl-C stops everything.
 */
import { join } from 'node:path'
import { startStack } from './local-stack.ts'
import { ROOT, run } from './proc.ts'

const PORT = Number(process.env.PORT ?? 8787)
const CAPTURE = 'sensor-native/fixtures/demo-dns-queries.pcap'
const say = (line: string) => process.stderr.write(`[socbox] ${line}\n`)

const stack = await startStack({
  port: PORT,
  persistDir: join(ROOT, '.wrangler/state'),
  say,
}).catch((err: Error) => {
  say(`could not start the local stack: ${err.message}`)
  process.exit(1)
})

const shutdown = async () => {
  say('stopping')
  await stack.stop()
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)

say(`replaying ${CAPTURE} through the sensor into ${stack.url}`)
try {
  await run(process.execPath, [
    'bin/socbox.ts',
    'replay',
    CAPTURE,
    '--edge',
    stack.url,
    '--token',
    stack.credentials.sensor.token,
  ])
} catch (err) {
  say(`the replay failed: ${(err as Error).message}`)
}

const lines = [
  '',
  `  socbox is running: portal ${stack.url}/login`,
  '',
  '  demo logins (role, email, password):',
  ...stack.credentials.users.map(
    (u) => `    ${u.role.padEnd(18)} ${u.email.padEnd(34)} ${u.password}`,
  ),
  '',
  `  sensor ${stack.credentials.sensor.name}: socbox replay FILE --edge ${stack.url} --token ${stack.credentials.sensor.token}`,
  `  API:   curl -H 'Authorization: Bearer ${stack.credentials.apiToken}' ${stack.url}/api/v1/alerts`,
  '',
  '  Ctrl-C stops everything.',
  '',
]
process.stdout.write(`${lines.join('\n')}\n`)
