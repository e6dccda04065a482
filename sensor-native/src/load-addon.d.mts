/** The addon's exports; native.ts gives them their types. */
export function loadAddon(): unknown

/** A `FileSource` of the addon, or undefined after saying on stderr why it could not open. */
export function openCapture(command: string, file: string, options: object): unknown
