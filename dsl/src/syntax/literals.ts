// Token images → values. String escapes are JSON's, so JSON.parse (not eval) decodes them.

export function unquote(image: string): string {
  if (image.startsWith('"""')) return dedent(image.slice(3, -3))
  return JSON.parse(image) as string
}

// A triple-quoted block may be indented with the rule; drop the common indent and the first and
// last line when blank, so the text reads as written.
function dedent(text: string): string {
  const lines = text.split('\n')
  if (lines[0]?.trim() === '') lines.shift()
  if (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop()
  const indents = lines
    .filter((line) => line.trim() !== '')
    .map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0)
  const common = indents.length > 0 ? Math.min(...indents) : 0
  return lines.map((line) => line.slice(common).trimEnd()).join('\n')
}
