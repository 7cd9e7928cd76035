/**
 * Logger options: pino with credential paths redacted and every line scrubbed
 * of ID-number-shaped strings (src/auth/redact.ts) before it is written.
 */
import type { FastifyServerOptions } from 'fastify';
import { config } from '../../config.ts';
import { REDACT_PATHS, scrubbingStream, type LineSink } from '../../auth/redact.ts';

export type { LineSink };

export function loggerOptions(sink?: LineSink): FastifyServerOptions['logger'] {
  return {
    level: config().logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    stream: scrubbingStream(sink ?? process.stdout),
  };
}
