/** Opens the source a config names, at the offset an earlier run saved for that same source. */
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { LiveOptions, SourceOptions } from '../native.ts'
import { loadPlan } from '../options.ts'
import type { BatchSource, SourcePoint } from './batch-source.ts'
import { openCapture } from './capture-source.ts'
import type { AgentConfig, SourceSpec } from './config.ts'
import { openEventsFile } from './events-file-source.ts'
import { openInterface } from './live-source.ts'

/**
 * Names the input, so a saved offset is only applied to the input it was taken from. A file's
 * size is part of its name: a file replaced by another under the same path starts from 0.
 */
export function sourceIdentity(spec: SourceSpec): string {
  if (spec.kind === 'interface') return `interface:${spec.name}`
  return `${spec.kind}:${resolve(spec.path)}#${statSync(spec.path).size}`
}

export function openSource(config: AgentConfig, at: SourcePoint): BatchSource {
  const spec = config.source
  switch (spec.kind) {
    case 'events':
      return openEventsFile(spec.path, at.offset)
    case 'capture': {
      const options: SourceOptions = {}
      if (config.homeNets) options.homeNets = config.homeNets
      const { plan } = loadPlan(config.plan)
      if (plan) options.plan = plan
      return openCapture(spec.path, options, at)
    }
    case 'interface': {
      const options: LiveOptions = {}
      if (config.homeNets) options.homeNets = config.homeNets
      const { plan } = loadPlan(config.plan)
      if (plan) options.plan = plan
      if (config.filter) options.filter = config.filter
      return openInterface(spec.name, options)
    }
  }
}

/** Files can wait for the edge; a live interface cannot, so only it may drop for space. */
export function canWait(spec: SourceSpec): boolean {
  return spec.kind !== 'interface'
}
