// Factories for every error Warden emits, with Hydra's codes and statuses and our own descriptions.
import { OAuth2Error } from './oauth2-error.js'

function make (error: string, statusCode: number, description: string) {
  return (hint?: string): OAuth2Error => new OAuth2Error({ error, statusCode, description, ...(hint === undefined ? {} : { hint }) })
}

// RFC 6749
export const invalidRequest = make('invalid_request', 400, 'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.')
export const invalidClient = make('invalid_client', 401, 'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).')
export const invalidGrant = make('invalid_grant', 400, 'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.')
export const unauthorizedClient = make('unauthorized_client', 400, 'The client is not authorized to request a token using this method.')
export const accessDenied = make('access_denied', 403, 'The resource owner or authorization server denied the request.')
export const unsupportedResponseType = make('unsupported_response_type', 400, 'The authorization server does not support obtaining a token using this method.')
export const unsupportedResponseMode = make('unsupported_response_mode', 400, 'The authorization server does not support obtaining a response using this response mode.')
export const unsupportedGrantType = make('unsupported_grant_type', 400, 'The authorization grant type is not supported by the authorization server.')
export const invalidScope = make('invalid_scope', 400, 'The requested scope is invalid, unknown, or malformed.')
export const serverError = make('server_error', 500, 'The authorization server encountered an unexpected condition that prevented it from fulfilling the request.')
export const temporarilyUnavailable = make('temporarily_unavailable', 503, 'The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server.')
// OIDC Core §3.1.2.6
export const loginRequired = make('login_required', 400, 'The Authorization Server requires End-User authentication.')
export const consentRequired = make('consent_required', 400, 'The Authorization Server requires End-User consent.')
export const interactionRequired = make('interaction_required', 400, 'The Authorization Server requires End-User interaction of some form to proceed.')
export const requestNotSupported = make('request_not_supported', 400, 'The OP does not support use of the request parameter.')
export const requestUriNotSupported = make('request_uri_not_supported', 400, 'The OP does not support use of the request_uri parameter.')
export const registrationNotSupported = make('registration_not_supported', 400, 'The OP does not support use of the registration parameter.')
// RFC 6750, RFC 7009
export const invalidToken = make('invalid_token', 401, 'The access token provided is expired, revoked, malformed, or invalid for other reasons.')
export const unsupportedTokenType = make('unsupported_token_type', 400, 'The authorization server does not support the revocation of the presented token type.')
// RFC 7591
export const invalidClientMetadata = make('invalid_client_metadata', 400, 'The value of one of the Client Metadata fields is invalid and the server has rejected this request. Note that an Authorization Server MAY choose to substitute a valid value for any requested parameter of a Client\'s Metadata.')
export const invalidRedirectUri = make('invalid_redirect_uri', 400, 'The value of one or more redirect_uris is invalid.')
// fosite / Hydra
export const invalidState = make('invalid_state', 400, 'The state is missing or does not have enough characters and is therefore considered too weak.')
export const insufficientEntropy = make('insufficient_entropy', 400, 'The request used a security parameter (e.g., anti-replay, anti-csrf) with insufficient entropy.')
export const requestUnauthorized = make('request_unauthorized', 401, 'The request could not be authorized.')
export const requestForbidden = make('request_forbidden', 403, 'The request is not allowed.')
export const tokenInactive = make('token_inactive', 401, 'Token is inactive because it is malformed, expired or otherwise invalid.')
export const jtiKnown = make('jti_known', 400, 'The jti was already used.')
export const misconfiguration = make('misconfiguration', 500, 'The request failed because of an internal error that is probably caused by misconfiguration.')

// Hydra's generic (non-OAuth) errors: `error` is a human message (hydra-api.md §9.6).
export const badRequest = make('The request was malformed or contained invalid parameters', 400, '')
export const unauthorized = make('The request could not be authorized', 401, '')
export const forbidden = make('The requested action was forbidden', 403, '')
export const notFound = make('The requested resource could not be found', 404, '')
export const resourceNotFound = make('Unable to locate the resource', 404, '')
export const methodNotAllowed = make('The request method is not supported by this resource', 405, '')
export const conflict = make('Unable to insert or update resource because a resource with that value exists already', 409, '')
export const payloadTooLarge = make('The request body is too large', 413, '')
export const unsupportedMediaType = make('The request content type is not supported by this endpoint', 415, '')
export const insecureHttp = make('can not serve request over insecure http', 502, '')
export const internalError = make('An internal server error occurred, please contact the system administrator', 500, '')
