import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { placePendingSelfReports } from '../../departures/place-self-reports.js';
import {
  fileSelfReport,
  SelfReportInvalid,
  type SelfReportSubmission,
} from '../../departures/self-report.js';
import { SelfReportQueue } from '../../departures/self-report-queue.js';
import { departureEvidence, departureReport, liveDepartureStats } from '../../app/departure-stats.js';
import {
  followedPersons,
  followPerson,
  takeDepartureAlerts,
  unfollowPerson,
} from '../../app/person-follows.js';
import { countPublicRequest } from '../../redress/public-rate-limit.js';
import { ApiError } from '../api-error.js';
import { idParams } from '../schemas.js';

const text = (max: number, min = 1) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const country = { type: 'string', pattern: '^[A-Za-z]{3}$' } as const;

/**
 * Departures (docs/departures.md): the public self-report. The request stores the report and answers;
 * the self-report queue places it after the answer (and, on start, what an earlier process left).
 */
export function departureRoutes(app: FastifyInstance, ctx: AppContext): void {
  const queue = new SelfReportQueue(
    () => placePendingSelfReports(ctx),
    (err) => app.log.error({ err }, 'placing self-reports: the report stays pending and is tried again'),
  );
  app.addHook('onReady', (done) => {
    queue.start();
    done();
  });
  app.addHook('onClose', async () => {
    await queue.close();
  });

  app.post<{ Body: SelfReportSubmission }>(
    '/api/departures/self-reports',
    {
      config: { access: 'departure.selfReport' },
      // Placed once the answer is sent: the request itself never looks the person up.
      onResponse: (_req, reply, done) => {
        if (reply.statusCode === 201) queue.wake();
        done();
      },
      schema: {
        tags: ['departures'],
        summary:
          'Report your own departure, done or planned (public, rate-limited). The answer is a confirmation number, the same whether or not you are on record.',
        body: {
          type: 'object',
          required: ['familyNames', 'birthDate', 'documentNumber', 'documentCountry', 'date', 'mode'],
          additionalProperties: false,
          properties: {
            givenNames: text(100, 0),
            familyNames: text(100),
            birthDate: date,
            nationality: country,
            documentNumber: text(30, 3),
            documentCountry: country,
            date,
            mode: { type: 'string', enum: ['air', 'sea', 'land'] },
            port: text(10, 0),
            carrier: text(10, 0),
            flight: text(10, 0),
            destination: country,
          },
        },
      },
    },
    async (req, reply) => {
      const wait = await countPublicRequest(ctx.db, 'departure.selfReport', req.ip);
      if (wait !== null) {
        void reply.header('retry-after', String(wait));
        throw new ApiError(
          'TOO_MANY_REQUESTS',
          `too many requests from this address; try again in ${wait} s`,
        );
      }
      try {
        return await reply.code(201).send(await fileSelfReport(ctx, req.body));
      } catch (err) {
        if (err instanceof SelfReportInvalid)
          throw new ApiError('VALIDATION_FAILED', err.message, err.errors);
        throw err;
      }
    },
  );
}

const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

/**
 * The departure report and its evidence, the live dashboard's figures and their server-sent events,
 * and following a person to be alerted when their departure is confirmed.
 */
export function departureReportRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { from: string; to: string } }>(
    '/api/departures/report',
    {
      config: { access: 'departure.report' },
      schema: {
        tags: ['departures'],
        summary:
          'Self-departures (no removals) that ended a stay in a period, by channel and country of citizenship',
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          additionalProperties: false,
          properties: { from: DATE, to: DATE },
        },
      },
    },
    async (req) => departureReport(ctx.db, req.query),
  );

  app.get<{
    Querystring: { from: string; to: string; channel?: string; nationality?: string; limit?: number };
  }>(
    '/api/departures/report/stays',
    {
      config: { access: 'departure.drillDown' },
      schema: {
        tags: ['departures'],
        summary:
          'The stays behind a cell of the departure report, with the observations that prove each departure',
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          additionalProperties: false,
          properties: {
            from: DATE,
            to: DATE,
            channel: { type: 'string', maxLength: 20 },
            nationality: { type: 'string', maxLength: 10 },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
          },
        },
      },
    },
    async (req) => {
      const stays = await departureEvidence(ctx.db, req.query);
      req.access!.personIds.push(...stays.map((s) => s.personId));
      return { stays };
    },
  );

  app.get<{ Querystring: { days?: number } }>(
    '/api/departures/live',
    {
      config: { access: 'departure.live' },
      schema: {
        tags: ['departures'],
        summary:
          'The live departures dashboard: per day by channel, by citizenship, self-reports, confirmation lag, pending reviews',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { days: { type: 'integer', minimum: 1, maximum: 366 } },
        },
      },
    },
    async (req) => liveDepartureStats(ctx.db, ctx.asOf(), req.query.days ?? 30),
  );

  app.get(
    '/api/departures/events',
    {
      config: { access: 'departure.live' },
      schema: {
        tags: ['departures'],
        summary:
          'Server-sent events: "stays-changed" (how many persons, when) as evidence is applied, for the dashboard to refresh',
      },
    },
    (req, reply) => {
      sendEvents(req, reply, ctx, (send) =>
        ctx.changes?.onStaysChanged((c) => send('stays-changed', { at: c.at, persons: c.personIds.length })),
      );
    },
  );

  app.get(
    '/api/follows',
    {
      config: { access: 'departure.followList' },
      schema: { tags: ['departures'], summary: 'The persons you follow' },
    },
    async (req) => {
      const persons = await followedPersons(ctx.db, req.user!.id);
      req.access!.personIds.push(...persons);
      return { persons };
    },
  );

  app.get(
    '/api/follows/events',
    {
      config: { access: 'departure.followList' },
      schema: {
        tags: ['departures'],
        summary: 'Server-sent events: "departure-confirmed" when a person you follow is confirmed departed',
      },
    },
    async (req, reply) => {
      const userId = req.user!.id;
      // An event stream never completes a response, so each alert is recorded as it is sent: who learnt
      // of whose departure, for which purpose (the stream's).
      const audited = (personId: string) =>
        app.accessSettings.audit.record({
          at: new Date(),
          userId,
          username: req.user!.username,
          role: req.user!.role,
          action: req.access!.key,
          route: 'GET /api/follows/events',
          personIds: [personId],
          recordRefs: [],
          purpose: req.access!.purpose,
          purposeReference: req.access!.purposeReference,
          breakGlassReason: null,
          outcome: 'allowed',
          status: 200,
          requestId: req.id,
        });
      sendEvents(req, reply, ctx, (send) =>
        ctx.changes?.onStaysChanged((c) => {
          void takeDepartureAlerts(ctx.db, userId, c.personIds)
            .then(async (alerts) => {
              for (const a of alerts) {
                await audited(a.personId);
                send('departure-confirmed', a);
              }
            })
            // A failed alert must not take the server down; the person's page still shows the departure.
            .catch((err: unknown) => req.log.error({ err }, 'departure alert failed'));
        }),
      );
      await Promise.resolve();
    },
  );

  for (const method of ['POST', 'DELETE'] as const)
    app.route<{ Params: { id: string } }>({
      method,
      url: '/api/persons/:id/follow',
      config: { access: 'departure.follow' },
      schema: {
        tags: ['departures'],
        summary:
          method === 'POST'
            ? 'Follow a person: you are alerted (GET /api/follows/events) when their departure is confirmed'
            : 'Stop following a person',
        params: idParams,
      },
      handler: async (req) => {
        req.access!.personIds.push(req.params.id);
        if (method === 'DELETE') {
          await unfollowPerson(ctx.db, req.user!.id, req.params.id);
          return { following: false };
        }
        if (!(await followPerson(ctx.db, req.user!.id, req.params.id)))
          throw new ApiError('NOT_FOUND', `no person ${req.params.id}`);
        return { following: true };
      },
    });
}

/** Keeps a server-sent event stream open: a comment every 15 s keeps proxies from closing it. */
function sendEvents(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
  subscribe: (send: (event: string, data: unknown) => void) => (() => void) | undefined,
) {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const send = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  res.write(`retry: 2000\n\n`);
  send('ready', { at: new Date().toISOString(), live: ctx.changes !== undefined });
  const unsubscribe = subscribe(send);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.raw.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe?.();
  });
}
