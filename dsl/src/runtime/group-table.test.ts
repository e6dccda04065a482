// The group table against a model: one Map under the joined string key correlations used before
// (String() of a single value; strings as they are and other values as JSON, joined by U+0000, or
// the whole list's JSON when a value holds U+0000) and a list in touch order.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { GroupTable, type Linked } from './group-table.ts'

type Group = Linked & { id: number }

function modelKey(values: unknown[]): string {
  if (values.length === 1) return String(values[0])
  let key = ''
  for (const value of values) {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    if (text.includes('\u0000')) return JSON.stringify(values)
    key += `${text}\u0000`
  }
  return key
}

const value = fc.constantFrom<unknown>('a', 'b', '80', 80, 70_000, -1, 1.5, true, 'x\u0000', [1])

describe('GroupTable', () => {
  it('finds, orders and deletes groups as one Map under the joined key would', () => {
    const op = fc.record({
      action: fc.constantFrom('touch', 'touch', 'touch', 'delete-oldest', 'delete-found'),
      values: fc.array(value, { minLength: 3, maxLength: 3 }),
      // The previous op's values again (runs of one group, as flows come: the table's memo).
      again: fc.boolean(),
      // A new group is given a copy of its values (as correlations do), or not.
      keep: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.array(op, { maxLength: 80 }), (arity, ops) => {
        const table = new GroupTable<Group>(arity)
        const model = new Map<string, Group>()
        const order: Group[] = [] // least recently touched first
        let next = 0
        let previous: unknown[] | undefined
        for (const { action, values: drawn, again, keep } of ops) {
          const values = again && previous !== undefined ? previous : drawn
          previous = values
          const own = values.slice(0, arity)
          const key = modelKey(own)
          const found = table.find(own)
          expect(found).toBe(model.get(key))
          if (action === 'delete-oldest') {
            const oldest = table.first()
            expect(oldest).toBe(order[0])
            if (oldest) {
              table.delete(oldest)
              order.shift()
              for (const [k, g] of model) if (g === oldest) model.delete(k)
            }
          } else if (action === 'delete-found' && found) {
            table.delete(found)
            order.splice(order.indexOf(found), 1)
            model.delete(key)
          } else if (found) {
            table.touch(found)
            order.splice(order.indexOf(found), 1)
            order.push(found)
          } else {
            const group: Group = { id: next++, older: undefined, newer: undefined, path: '' }
            table.insert(group, keep ? own.slice() : undefined)
            model.set(key, group)
            order.push(group)
          }
          expect(table.size).toBe(model.size)
          expect(table.first()).toBe(order[0])
        }
        // Walking the touch order from the oldest visits every group once, in order.
        const walked: Group[] = []
        for (let g = table.first(); g !== undefined; g = g.newer as Group | undefined)
          walked.push(g)
        expect(walked).toEqual(order)
      }),
      { numRuns: 300 },
    )
  })
})
