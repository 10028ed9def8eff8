/** Adds a condition to a TraceQL selector: inside its braces when it is one spanset, else as a second spanset. */
export const narrow = (query: string, condition: string): string =>
  /^\{[^{}]*\}$/.test(query.trim())
    ? query.trim().replace(/\}$/, ` && ${condition}}`)
    : `${query} && {${condition}}`;
