// Escaped HTML building for the reference UI: every interpolated value is escaped unless it is already Html.
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** A fragment that is already safe HTML (built by `html` or `raw`), so it is inserted as is. */
export class Html {
  readonly text: string
  constructor (text: string) { this.text = text }
  toString (): string { return this.text }
}

export type HtmlValue = Html | string | number | boolean | undefined | null | readonly HtmlValue[]

export function escapeHtml (value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character)
}

function render (value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return ''
  if (value instanceof Html) return value.text
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

/** Tagged template: `html\`<p>${userText}</p>\`` escapes userText; nested html`` fragments and arrays pass through. */
export function html (strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? ''
  values.forEach((value, index) => { out += render(value) + (strings[index + 1] ?? '') })
  return new Html(out)
}

/** Trusted markup written in this folder (never user input). */
export const raw = (text: string): Html => new Html(text)
