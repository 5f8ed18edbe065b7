/**
 * The processes' loggers (pino). Two formats: `json`, one object per line for
 * a log collector, and `pretty`, readable lines for a person at a terminal
 * (pino-pretty, written synchronously so a crash loses no line). The default
 * is pretty on a terminal and JSON otherwise; `npm start` asks its children
 * for pretty lines when it runs on a terminal itself, since their output
 * reaches the terminal through it.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export const logFormats = ['pretty', 'json'] as const;
export type LogFormat = (typeof logFormats)[number];
export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface LoggerOptions {
  /** Unset: pretty when stdout is a terminal, JSON otherwise. */
  format?: LogFormat;
  level?: LogLevel;
  /** Where lines go; default stdout (tests pass a stream to read them back). */
  destination?: NodeJS.WritableStream;
}

export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stdout;
  const format =
    options.format ?? ((destination as { isTTY?: boolean }).isTTY === true ? 'pretty' : 'json');
  const base = { name, level: options.level ?? 'info' };
  if (format === 'json') return pino(base, destination as pino.DestinationStream);
  return pino(
    base,
    pretty({
      destination,
      sync: true,
      colorize: (destination as { isTTY?: boolean }).isTTY === true,
      translateTime: 'HH:MM:ss',
      ignore: 'pid,hostname',
      singleLine: true,
    }),
  );
}
