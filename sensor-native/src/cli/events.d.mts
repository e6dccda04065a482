/** Runs `socbox events` with these arguments; resolves to the exit status. */
export function main(argv: string[]): Promise<number>
