/** `--threads N`: a whole number from 1 to 256; absent, the number of cores. */
export function parseThreads(value: string | undefined): number

/** Runs `socbox events` with these arguments; resolves to the exit status. */
export function main(argv: string[]): Promise<number>
