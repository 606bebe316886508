// `warden list oauth2-clients` (alias clients): GET /admin/clients with --page-size / --page-token.
import type { Command } from 'commander'
import { AdminClient, addAdminOptions, printJson, tabulate, type AdminOptions, type CliIo } from '../admin-client.js'
import { CLIENT_HEADER, clientColumns, type ClientJson } from './oauth2-client-flags.js'

/** The page_token of the Link header's rel="next" URL, or '' on the last page. */
export function nextPageToken (link: string | string[] | undefined): string {
  const header = Array.isArray(link) ? link.join(',') : (link ?? '')
  const next = /<([^>]*)>;\s*rel="next"/.exec(header)?.[1]
  return next === undefined ? '' : (new URL(next, 'http://localhost').searchParams.get('page_token') ?? '')
}

export function registerListOAuth2ClientsCommand (list: Command, io: CliIo): void {
  const command = list.command('oauth2-clients').alias('clients')
    .description('List OAuth 2.0 clients, one page at a time')
    .option('--page-size <n>', 'clients per page (at most 500)', '100')
    .option('--page-token <token>', 'the NEXT PAGE TOKEN printed by the previous call')
  addAdminOptions(command)
  command.action(async (options: AdminOptions & { pageSize: string, pageToken?: string }) => {
    const query = new URLSearchParams({ page_size: options.pageSize })
    if (options.pageToken !== undefined && options.pageToken !== '') query.set('page_token', options.pageToken)
    const response = await AdminClient.fromOptions(options, io.env).request<ClientJson[]>('GET', `/admin/clients?${query.toString()}`)
    const token = nextPageToken(response.headers.link)
    const clients = response.body
    if (options.quiet === true) { for (const client of clients) io.stdout.write(`${String(client.client_id)}\n`); return }
    // cmdx.PaginatedList: the items plus the token of the next page.
    if (options.format !== 'table') { printJson(io, { items: clients, next_page_token: token, is_last_page: token === '' }, options.format); return }
    io.stdout.write(tabulate([[...CLIENT_HEADER], ...clients.map(clientColumns), [], ['NEXT PAGE TOKEN', token], ['IS LAST PAGE', String(token === '')]]))
  })
}
