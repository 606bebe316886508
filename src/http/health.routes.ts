// Liveness, readiness, version and metrics endpoints (hydra-api.md §1.2, §1.3, §10), and `warden doctor`'s probe.
import type { TLSSocket } from 'node:tls'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { parseCidrList, type CidrList } from '../lib/cidr.js'
import type { HttpAppDeps, ListenerName, Readiness } from './app-deps.js'
import { terminationGuardFor } from './build-app.js'
import { DOCTOR_PROBE_HEADER, DOCTOR_REPORT_HEADER, encodeObservation, isDoctorProbeValid, peerAddress } from './doctor-probe.js'
import type { RouteRegistrar } from './route-module.js'

export const OBFUSCATED_READINESS_ERROR = 'error may contain sensitive information and was obfuscated'

async function readinessErrors (readiness: Readiness): Promise<Record<string, string>> {
  try {
    return await readiness.check()
  } catch (error) {
    return { readiness: error instanceof Error ? error.message : String(error) }
  }
}

interface DoctorProbe { secrets: readonly string[], trusted: CidrList | undefined }

/** undefined (no probe answers) without secrets.system or when the proxy list does not parse (start-up reports it). */
function doctorProbeFor (deps: HttpAppDeps, listener: ListenerName): DoctorProbe | undefined {
  const secrets = deps.config.secrets?.system ?? []
  if (secrets.length === 0) return undefined
  const guard = terminationGuardFor(deps, listener)
  try {
    return { secrets, trusted: guard === undefined ? undefined : parseCidrList(guard) }
  } catch {
    return undefined
  }
}

/** Adds X-Warden-Doctor-Report to a probe signed with secrets.system (doctor-probe.ts); other requests see nothing. */
function answerDoctorProbe (probe: DoctorProbe | undefined, request: FastifyRequest, reply: FastifyReply): void {
  if (probe === undefined || !isDoctorProbeValid(request.headers[DOCTOR_PROBE_HEADER], probe.secrets, Date.now() / 1000)) return
  const socket = request.raw.socket as Partial<TLSSocket>
  const peer = peerAddress(socket.remoteAddress)
  // Capped: the report echoes these headers and must stay well inside a proxy's response header limit.
  const header = (name: string): string => { const value = request.headers[name]; return (Array.isArray(value) ? value.join(', ') : (value ?? '')).slice(0, 512) }
  void reply.header('cache-control', 'no-store').header(DOCTOR_REPORT_HEADER, encodeObservation({
    peer,
    isTls: socket.encrypted === true,
    isGuarded: probe.trusted !== undefined,
    isPeerTrusted: probe.trusted?.contains(peer) === true,
    forwardedProto: header('x-forwarded-proto'),
    forwardedFor: header('x-forwarded-for')
  }))
}

function healthRoutes (prefix: string, readiness: Readiness, isObfuscating: boolean, probe: DoctorProbe | undefined): RouteRegistrar {
  return (app) => {
    app.get(`${prefix}/health/alive`, async function isAlive (request: FastifyRequest, reply: FastifyReply) {
      answerDoctorProbe(probe, request, reply)
      return { status: 'ok' }
    })

    app.get(`${prefix}/health/ready`, async function isReady (_request: FastifyRequest, reply: FastifyReply) {
      const errors = await readinessErrors(readiness)
      if (Object.keys(errors).length === 0) return { status: 'ok' }
      const shown = isObfuscating
        ? Object.fromEntries(Object.keys(errors).map((name) => [name, OBFUSCATED_READINESS_ERROR]))
        : errors
      return reply.code(503).send({ errors: shown })
    })
  }
}

export function healthPublicRoutes (deps: HttpAppDeps): RouteRegistrar {
  return healthRoutes('', deps.readiness, true, doctorProbeFor(deps, 'public'))
}

export function healthAdminRoutes (deps: HttpAppDeps): RouteRegistrar {
  const health = healthRoutes('/admin', deps.readiness, false, doctorProbeFor(deps, 'admin'))
  return async (app) => {
    await health(app)

    app.get('/admin/version', async function getVersion () {
      return { version: deps.version }
    })

    app.get('/admin/metrics/prometheus', async function prometheusMetrics (_request: FastifyRequest, reply: FastifyReply) {
      const { contentType, body } = await deps.metrics.exposition()
      return reply.type(contentType).send(body)
    })
  }
}
