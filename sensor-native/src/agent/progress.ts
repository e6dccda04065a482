// The progress line lives in plain JavaScript (progress.mjs) so that `socbox events` loads no
// TypeScript; the agent's commands import it from here.
export { describe, type Progress, progress } from './progress.mjs'
