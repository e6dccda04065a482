/**
 * A batch the decoder refuses; names the group (index) and column where it can.
 * `unsupportedVersion`: the batch is of a wire version this decoder does not read (the sender
 * is newer than the edge: no batch of it can get through until the edge is updated).
 */
export class WireError extends Error {
  group?: number
  column?: string
  unsupportedVersion?: boolean

  constructor(
    message: string,
    where: { group?: number; column?: string; unsupportedVersion?: boolean } = {},
  ) {
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
    if (where.unsupportedVersion) this.unsupportedVersion = true
  }
}
