/** Where `npm install` puts the native `socbox events` program. */
export const programPath: string

/** The built default rule pack (`@socbox/rules/pack`), or undefined before it is built. */
export function defaultPlan(): string | undefined

/** Runs `socbox events` with these arguments; resolves to the exit status. */
export function main(argv: string[]): Promise<number>
