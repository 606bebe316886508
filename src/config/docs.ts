// Renders docs/configuration.md from the config schema, so the reference cannot drift from the code.
import type { TSchema } from '@sinclair/typebox'
import { DURATION_EXPECTED, keyword, URL_FORMAT } from './schema-types.js'
import { envNameOf, listSchemaNodes, type SchemaNode } from './schema-walk.js'

const INTRO = `# Configuration

<!-- Generated from src/config/schema.ts by \`npm run docs\`. Do not edit by hand. -->

Warden reads the same configuration keys as Ory Hydra v2. Each key below lists its type, its default and the
environment variable that sets it.

## Sources and precedence

Later sources override earlier ones:

1. the defaults listed below;
2. config files given with \`-c/--config\` (repeatable, or several paths separated by commas), in YAML or JSON
   (by extension: \`.yaml\`/\`.yml\` or \`.json\`; otherwise by content). A later file overrides an earlier one: objects
   merge key by key, lists and values are replaced. A key written without a value (\`dsn:\`) counts as not written.
   Unknown keys are errors;
3. flags: \`--dev\` sets \`dev\`, \`--sqa-opt-out\` sets \`sqa.opt_out\`;
4. environment variables.

## Environment variables

A key's variable is its path with \`.\` replaced by \`_\`, in upper case: \`serve.public.port\` is \`SERVE_PUBLIC_PORT\`,
\`urls.self.issuer\` is \`URLS_SELF_ISSUER\`, \`oidc.subject_identifiers.pairwise.salt\` is
\`OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT\`. Values are converted to the key's type:

- numbers and booleans (\`true\`/\`false\`, also \`1\`/\`0\`) as written;
- lists as a JSON array or a comma-separated list (\`SECRETS_SYSTEM=new-secret,old-secret\`); one entry can be set by
  index (\`SECRETS_SYSTEM_0=new-secret\`);
- objects as JSON (\`SERVE_PUBLIC_CORS='{"enabled":true}'\`); top-level sections such as \`SERVE\` cannot be set as a
  whole.

Empty variables and variables that name no key are ignored. \`PUBLIC_HOST\`, \`ADMIN_HOST\`, \`PUBLIC_PORT\` and
\`ADMIN_PORT\` (from older Hydra documentation) are read as aliases of the \`SERVE_*\` variables, which win when both
are set.

## Example

\`\`\`yaml
# warden.yaml
dsn: postgres://warden:secret@db:5432/warden?sslmode=require
urls:
  self:
    issuer: https://auth.example.com/
  login: https://login.example.com/login
  consent: https://login.example.com/consent
serve:
  admin:
    host: unix:/var/run/warden/admin.sock
    socket:
      mode: "0770"
\`\`\`

\`\`\`sh
SECRETS_SYSTEM=a-long-random-secret-of-32-chars warden serve all -c warden.yaml
\`\`\`

Warden reports every problem at once, one line each, naming the key, where its value came from and what was
expected, for example:

\`\`\`
serve.public.port: expected an integer between 1 and 65535, got "abc" (from env SERVE_PUBLIC_PORT)
serve.publik: unknown key (from file warden.yaml)
\`\`\`

## Keys
`

function describeType (schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) {
    const members = schema.anyOf as TSchema[]
    if (members.every((member) => member.const !== undefined)) return `one of ${members.map((member) => `\`${String(member.const)}\``).join(', ')}`
    return members.map(describeType).join(' or ')
  }
  if (keyword(schema, 'coerce') === 'octal-mode') return 'file mode (octal string or integer)'
  if (keyword(schema, 'expected')?.startsWith(DURATION_EXPECTED) === true) return 'duration'
  switch (schema.type) {
    case 'integer': return schema.minimum !== undefined && schema.maximum !== undefined ? `integer (${schema.minimum}–${schema.maximum})` : 'integer'
    case 'string': return schema.format === URL_FORMAT ? 'URL' : 'string'
    case 'array': {
      const items = schema.items as TSchema
      return items.type === 'string' ? 'list of strings' : `list, each ${describeType(items)}`
    }
    case 'object': return schema.patternProperties !== undefined ? 'map of strings' : 'object'
    default: return String(schema.type)
  }
}

function cell (text: string): string {
  return text.replace(/\|/g, '\\|')
}

function row (node: SchemaNode): string {
  const { schema } = node
  const hasDefault = !node.isSection && 'default' in schema
  const defaultText = hasDefault ? `\`${JSON.stringify(schema.default)}\`` : '—'
  const description = typeof schema.description === 'string' ? schema.description : ''
  return `| \`${node.path.join('.')}\` | ${cell(describeType(schema))} | ${cell(defaultText)} | \`${envNameOf(node.path)}\` | ${cell(description)} |`
}

/** The whole of docs/configuration.md. */
export function renderConfigurationDoc (): string {
  const nodes = listSchemaNodes()
  const sections: string[] = [INTRO]
  for (const top of nodes.filter((node) => node.path.length === 1)) {
    const name = top.path[0] as string
    const lines = [`### \`${name}\``, '']
    if (top.isSection && typeof top.schema.description === 'string') lines.push(top.schema.description, '')
    lines.push('| Key | Type | Default | Environment variable | Description |', '|---|---|---|---|---|')
    const members = top.isSection ? nodes.filter((node) => node.path.length > 1 && node.path[0] === name) : [top]
    lines.push(...members.map(row))
    sections.push(lines.join('\n'))
  }
  return `${sections.join('\n\n')}\n`
}
