/**
 * The id of each request as the client wrote it, for ids JSON.parse cannot give back unchanged:
 * geth echoes the id's raw bytes, so `1e400`, `12345678901234567890` or `1.50` must come back as
 * written, not as `null`, `12345678901234567000` or `1.5`.
 */

/** Whether any request in the parsed body has a numeric id that may not survive JSON.stringify. */
export function hasFragileIds(parsed: unknown): boolean {
  const requests = Array.isArray(parsed) ? parsed : [parsed]
  return requests.some((request) => {
    if (typeof request !== 'object' || request === null || !Object.hasOwn(request, 'id')) return false
    const id = (request as { id: unknown }).id
    return typeof id === 'number' && (!Number.isSafeInteger(id) || Object.is(id, -0))
  })
}

/**
 * The raw text of the "id" member of each top-level request object of `body` (valid JSON), in
 * order; undefined for an element that is not an object or has no id. Iterative: nesting depth
 * costs nothing.
 */
export function rawIds(body: string): (string | undefined)[] {
  let i = skipSpace(body, 0)
  if (body[i] !== '[') return [body[i] === '{' ? idOf(body, i) : undefined]
  const ids: (string | undefined)[] = []
  i = skipSpace(body, i + 1)
  while (body[i] !== ']') {
    ids.push(body[i] === '{' ? idOf(body, i) : undefined)
    i = skipSpace(body, skipValue(body, i))
    if (body[i] === ',') i = skipSpace(body, i + 1)
  }
  return ids
}

/** The raw text of the last "id" member of the object at `start` (JSON.parse keeps the last too). */
function idOf(body: string, start: number): string | undefined {
  let id: string | undefined
  let i = skipSpace(body, start + 1)
  while (body[i] !== '}') {
    const keyEnd = skipString(body, i)
    const key = JSON.parse(body.slice(i, keyEnd)) as string
    const valueStart = skipSpace(body, skipSpace(body, keyEnd) + 1) // past the colon
    i = skipValue(body, valueStart)
    if (key === 'id') id = body.slice(valueStart, i)
    i = skipSpace(body, i)
    if (body[i] === ',') i = skipSpace(body, i + 1)
  }
  return id
}

function skipSpace(body: string, i: number): number {
  while (i < body.length && ' \t\n\r'.includes(body[i])) i++
  return i
}

/** Past the string starting at `i` (its opening quote). */
function skipString(body: string, i: number): number {
  i++
  while (body[i] !== '"') i += body[i] === '\\' ? 2 : 1
  return i + 1
}

/** Past the value starting at `i`. */
function skipValue(body: string, i: number): number {
  if (body[i] === '"') return skipString(body, i)
  if (body[i] !== '{' && body[i] !== '[') {
    while (i < body.length && !',}] \t\n\r'.includes(body[i])) i++
    return i
  }
  let depth = 0
  do {
    if (body[i] === '"') {
      i = skipString(body, i)
      continue
    }
    if (body[i] === '{' || body[i] === '[') depth++
    else if (body[i] === '}' || body[i] === ']') depth--
    i++
  } while (depth > 0)
  return i
}
