/** A batch the decoder refuses; names the group (index) and column where it can. */
export class WireError extends Error {
  group?: number
  column?: string

  constructor(message: string, where: { group?: number; column?: string } = {}) {
    const place = [
      where.group === undefined ? '' : `group ${where.group}`,
      where.column === undefined ? '' : `column "${where.column}"`,
    ]
      .filter(Boolean)
      .join(', ')
    super(place ? `${place}: ${message}` : message)
    this.name = 'WireError'
    if (where.group !== undefined) this.group = where.group
    if (where.column !== undefined) this.column = where.column
  }
}
